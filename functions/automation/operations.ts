import type { Operation } from '../../shared/http/operation.js';
import { readAllNotificationsOperation, readNotificationOperation } from './notifications.js';
import { listTasksOperation } from './tasks.js';
import { shadowOperations } from '../shadow/runs.js';
import {
  createWorkflowRuleOperation,
  deleteWorkflowRuleOperation,
  getWorkflowRuleOperation,
  listWorkflowRuleExecutionsOperation,
  listWorkflowRulesOperation,
  updateWorkflowRuleOperation,
} from './workflow-rules.js';

export const automationOperations: Operation[] = [
  listTasksOperation,
  readNotificationOperation,
  readAllNotificationsOperation,
  createWorkflowRuleOperation,
  listWorkflowRulesOperation,
  getWorkflowRuleOperation,
  updateWorkflowRuleOperation,
  deleteWorkflowRuleOperation,
  listWorkflowRuleExecutionsOperation,
  ...shadowOperations,
];
