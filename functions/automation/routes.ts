import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import {
  NotificationParams,
  NotificationSchema,
  PageOnlyQuery,
  ReadAllResultSchema,
  TaskPageSchema,
  TasksQuery,
  WorkflowRuleBody,
  WorkflowRuleEditBody,
  WorkflowRuleExecutionPageSchema,
  WorkflowRulePageSchema,
  WorkflowRuleParams,
  WorkflowRuleSchema,
  WorkflowRulesQuery,
} from './schemas.js';

const common = { area: 'automation', auth: 'jwt' } as const;

export const automationRoutes = {
  listTasks: route({ ...common, tags: ['People'], operationId: 'listTasks', method: 'GET', path: '/v1/tasks', summary: 'Open tasks of a person, due first: your own (`assignee=me`), or as their manager or an org admin', query: TasksQuery, responses: { 200: ok(TaskPageSchema), ...problems(400, 401, 403) } }),
  readNotification: route({ ...common, tags: ['People'], operationId: 'readNotification', method: 'POST', path: '/v1/notifications/{id}/read', summary: 'Mark one of your notifications read (idempotent)', params: NotificationParams, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(NotificationSchema), ...problems(401, 404) } }),
  readAllNotifications: route({ ...common, tags: ['People'], operationId: 'readAllNotifications', method: 'POST', path: '/v1/notifications/read-all', summary: 'Mark your unread notifications read (up to 500 per call)', requestHeaders: ['Idempotency-Key'], responses: { 200: ok(ReadAllResultSchema), ...problems(401) } }),
  createWorkflowRule: route({ ...common, tags: ['Workflow rules'], operationId: 'createWorkflowRule', method: 'POST', path: '/v1/workflow-rules', summary: "Define a workflow rule (org admin; a team admin on the team's modules); validated against the module", body: WorkflowRuleBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(WorkflowRuleSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 409, 422) } }),
  listWorkflowRules: route({ ...common, tags: ['Workflow rules'], operationId: 'listWorkflowRules', method: 'GET', path: '/v1/workflow-rules', summary: 'Workflow rules of a module (module=…), or of every module (org admin)', query: WorkflowRulesQuery, responses: { 200: ok(WorkflowRulePageSchema), ...problems(400, 401, 403) } }),
  getWorkflowRule: route({ ...common, tags: ['Workflow rules'], operationId: 'getWorkflowRule', method: 'GET', path: '/v1/workflow-rules/{id}', summary: 'One workflow rule', params: WorkflowRuleParams, responses: { 200: ok(WorkflowRuleSchema, 'OK', ['ETag']), ...problems(401, 403, 404) } }),
  updateWorkflowRule: route({ ...common, tags: ['Workflow rules'], operationId: 'updateWorkflowRule', method: 'PUT', path: '/v1/workflow-rules/{id}', summary: 'Replace a workflow rule (new version); honours If-Match', params: WorkflowRuleParams, body: WorkflowRuleEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(WorkflowRuleSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  deleteWorkflowRule: route({ ...common, tags: ['Workflow rules'], operationId: 'deleteWorkflowRule', method: 'DELETE', path: '/v1/workflow-rules/{id}', summary: 'Delete a workflow rule (its execution log stays readable for the org admin)', params: WorkflowRuleParams, requestHeaders: ['If-Match'], responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 412) } }),
  listWorkflowRuleExecutions: route({ ...common, tags: ['Workflow rules'], operationId: 'listWorkflowRuleExecutions', method: 'GET', path: '/v1/workflow-rules/{id}/executions', summary: 'What each run of the rule did, or why it did not act, newest first', params: WorkflowRuleParams, query: PageOnlyQuery, responses: { 200: ok(WorkflowRuleExecutionPageSchema), ...problems(400, 401, 403, 404) } }),
};
