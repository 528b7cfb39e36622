import type { Operation } from '../../shared/http/operation.js';
import { consolePageOperation, consoleScriptOperation, consoleStylesOperation } from './console.js';
import { docsInitOperation, docsOperation, docsScriptOperation } from './docs.js';
import { healthOperation, openapiOperation } from './system-operations.js';

export const systemOperations: Operation[] = [healthOperation, openapiOperation, docsOperation, docsInitOperation, docsScriptOperation, consolePageOperation, consoleScriptOperation, consoleStylesOperation];
