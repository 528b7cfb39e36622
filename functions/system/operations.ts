import type { Operation } from '../../shared/http/operation.js';
import { consolePageOperation, consoleScriptOperation, consoleStylesOperation } from './console.js';
import { healthOperation, openapiOperation } from './system-operations.js';

export const systemOperations: Operation[] = [healthOperation, openapiOperation, consolePageOperation, consoleScriptOperation, consoleStylesOperation];
