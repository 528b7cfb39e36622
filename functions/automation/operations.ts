import type { Operation } from '../../shared/http/operation.js';
import { listTasksOperation } from './tasks.js';

export const automationOperations: Operation[] = [
  listTasksOperation,
];
