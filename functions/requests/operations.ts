import type { Operation } from '../../shared/http/operation.js';
import { listNotificationsOperation } from './notifications.js';
import { getMyRequestOperation, getRequestOperation, listModuleRequestsOperation, listMyRequestsOperation, requestFormOperation } from './read-requests.js';
import { submitRequestOperation } from './submit-request.js';
import { updateRequestOperation } from './update-request.js';

export const requestsOperations: Operation[] = [
  requestFormOperation,
  submitRequestOperation,
  listModuleRequestsOperation,
  listMyRequestsOperation,
  getMyRequestOperation,
  getRequestOperation,
  updateRequestOperation,
  listNotificationsOperation,
];
