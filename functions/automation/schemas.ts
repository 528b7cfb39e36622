import * as z from 'zod';
import { ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { UserIdSchema } from '../../shared/domain/users/user.js';
import { WorkflowRuleDefinitionSchema } from '../../shared/domain/workflow/rule.js';
import { WorkflowRuleExecutedSchema } from '../../shared/events/catalog/workflow-rules.js';
import { NotificationSchema } from '../requests/schemas.js';
import { mergedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const Limit = lazySchema(() => z.coerce.number().int().min(1).max(200).default(50));

export const TasksQuery = lazySchema(() => z.strictObject({
  assignee: z.union([z.literal('me'), UserIdSchema]).default('me').meta({ description: '`me`, or a user id (their managers and org admins)' }),
  limit: Limit,
  cursor: z.string().optional(),
}));

export const TaskSchema = lazySchema(() => z
  .object({
    id: z.string().meta({ description: 'The Task record id (GET /v1/records/Tasks/{id})' }),
    subject: z.string(),
    status: z.string(),
    assigneeId: z.string(),
    dueDate: z.iso.date().optional(),
    relatedModule: z.string().optional(),
    relatedId: z.string().optional(),
    overdue: z.boolean(),
  })
  .meta({ id: 'Task' }));
export type Task = z.infer<typeof TaskSchema>;
export const TaskPageSchema = lazySchema(() => z.object({ items: z.array(TaskSchema), nextCursor: z.string().optional() }).meta({ id: 'TaskPage', description: 'Open tasks, due first (undated last)' }));

export const NotificationParams = lazySchema(() => z.object({ id: z.string().min(1).max(128) }));
export { NotificationSchema };
export const ReadAllResultSchema = lazySchema(() => z.object({ marked: z.number().int(), more: z.boolean().meta({ description: 'More unread remain: call again' }) }).meta({ id: 'ReadAllResult' }));

export const WorkflowRuleBody = lazySchema(() => WorkflowRuleDefinitionSchema.meta({ id: 'WorkflowRuleDefinition' }));
export const WorkflowRuleSchema = lazySchema(() => WorkflowRuleDefinitionSchema.extend({
  id: z.string(),
  version: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({ id: 'WorkflowRule' }));
/** PUT takes what GET answers (its id, version, createdBy and timestamps are read-only) or the definition alone. */
export const WorkflowRuleEditBody = lazySchema(() => mergedDefinitionBody(WorkflowRuleDefinitionSchema, WorkflowRuleSchema));
export const WorkflowRulePageSchema = lazySchema(() => z.object({ items: z.array(WorkflowRuleSchema), nextCursor: z.string().optional() }));
export const WorkflowRuleParams = lazySchema(() => z.object({ id: z.string().min(1).max(64) }));
export const WorkflowRulesQuery = lazySchema(() => z.strictObject({ module: ModuleNameSchema.optional(), limit: Limit, cursor: z.string().optional() }));
export const PageOnlyQuery = lazySchema(() => z.strictObject({ limit: Limit, cursor: z.string().optional() }));
export const WorkflowRuleExecutionSchema = lazySchema(() => WorkflowRuleExecutedSchema.extend({ id: z.string(), occurredAt: z.iso.datetime(), loggedAt: z.iso.datetime().optional() }).meta({ id: 'WorkflowRuleExecution' }));
export const WorkflowRuleExecutionPageSchema = lazySchema(() => z.object({ items: z.array(WorkflowRuleExecutionSchema), nextCursor: z.string().optional() }));
