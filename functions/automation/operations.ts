import type { Operation } from '../../shared/http/operation.js';
import { readAllNotificationsOperation, readNotificationOperation } from './notifications.js';
import { listTasksOperation } from './tasks.js';

export const automationOperations: Operation[] = [
  listTasksOperation,
  readNotificationOperation,
  readAllNotificationsOperation,
];
