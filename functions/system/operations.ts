import type { Operation } from '../../shared/http/operation.js';
import { consolePageOperation, consoleScriptOperation, consoleStylesOperation } from './console.js';
import { docsInitOperation, docsOperation, docsScriptOperation } from './docs.js';
import { faviconIcoOperation, faviconOperation } from './favicon.js';
import { apiIndexOperation, healthOperation, openapiOperation, rootOperation } from './system-operations.js';

export const systemOperations: Operation[] = [
  rootOperation,
  apiIndexOperation,
  healthOperation,
  openapiOperation,
  docsOperation,
  docsInitOperation,
  docsScriptOperation,
  consolePageOperation,
  consoleScriptOperation,
  consoleStylesOperation,
  faviconOperation,
  faviconIcoOperation,
];
