import type { Operation } from '../../shared/http/operation.js';
import { actOnApprovalOperation, approvalProcessOperations, getApprovalOperation, listApprovalsOperation, recordApprovalsOperation, submitForApprovalOperation } from './approvals.js';
import { blueprintDefinitionOperations, migrateBlueprintOperation, publishBlueprintOperation } from './blueprints.js';
import { decideReviewOperation, getReviewOperation, listReviewsOperation, reviewProcessOperations } from './reviews.js';
import { listTransitionsOperation, performTransitionOperation } from './transitions.js';

export const processesOperations: Operation[] = [
  ...blueprintDefinitionOperations,
  publishBlueprintOperation,
  migrateBlueprintOperation,
  listTransitionsOperation,
  performTransitionOperation,
  ...approvalProcessOperations,
  listApprovalsOperation,
  getApprovalOperation,
  actOnApprovalOperation,
  submitForApprovalOperation,
  recordApprovalsOperation,
  ...reviewProcessOperations,
  listReviewsOperation,
  getReviewOperation,
  decideReviewOperation,
];
