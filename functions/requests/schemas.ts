import * as z from 'zod';
import { HANDLED_STATUSES, REQUEST_STATUSES } from '../../shared/domain/teams/requests.js';
import { ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { UserIdSchema } from '../../shared/domain/users/user.js';
import { FieldValuesSchema } from '../records/schemas.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const RequestStatusSchema = lazySchema(() => z.enum(REQUEST_STATUSES));

export const RequestHistoryEntrySchema = lazySchema(() => z
  .object({
    id: z.string(),
    event: z.string().meta({ description: 'request.submitted | request.status-changed | request.assigned | request.commented' }),
    actor: z.string(),
    occurredAt: z.iso.datetime(),
    status: RequestStatusSchema.optional(),
    previousStatus: RequestStatusSchema.optional(),
    assigneeId: z.string().optional(),
    previousAssigneeId: z.string().optional(),
    comment: z.string().optional(),
  })
  .meta({ id: 'RequestHistoryEntry' }));

export const RequestSchema = lazySchema(() => z
  .object({
    id: z.string(),
    module: z.string(),
    status: RequestStatusSchema,
    requesterId: z.string(),
    assigneeId: z.string().optional(),
    fields: FieldValuesSchema,
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z.array(RequestHistoryEntrySchema).optional().meta({ description: 'Oldest first; on single-request reads only' }),
  })
  .meta({ id: 'Request' }));

export const RequestPageSchema = lazySchema(() => z.object({ items: z.array(RequestSchema), nextCursor: z.string().optional() }));

export const RequestParams = lazySchema(() => z.object({ id: z.string().min(1).max(64) }));
export const TeamModuleParams = lazySchema(() => z.object({ module: ModuleNameSchema }));

const Limit = lazySchema(() => z.coerce.number().int().min(1).max(200).default(50));

export const MyRequestsQuery = lazySchema(() => z.strictObject({ limit: Limit, cursor: z.string().optional(), status: RequestStatusSchema.optional() }));
export const QueueQuery = lazySchema(() => MyRequestsQuery.extend({
  assignee: z.union([z.literal('me'), UserIdSchema]).optional().meta({ description: '"me" or a user id' }),
}));

export const SubmitRequestBody = lazySchema(() => z.strictObject({ fields: FieldValuesSchema }).meta({ id: 'SubmitRequest' }));

export const PatchRequestBody = lazySchema(() => z
  .strictObject({
    status: z.enum(HANDLED_STATUSES).optional(),
    assigneeId: UserIdSchema.nullable().optional().meta({ description: 'null unassigns' }),
    comment: z.string().trim().min(1).max(4000).optional(),
  })
  .refine((b) => b.status !== undefined || b.assigneeId !== undefined || b.comment !== undefined, { message: 'Send status, assigneeId or comment', path: ['status'] })
  .meta({ id: 'PatchRequest' }));

export const RequestFormSchema = lazySchema(() => z
  .object({ module: z.string(), label: z.string(), fields: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'RequestForm', description: 'The fields a requester fills in' }));

export const NotificationSchema = lazySchema(() => z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    subject: z.object({ type: z.string(), id: z.string(), module: z.string().optional() }),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' }));
export const NotificationPageSchema = lazySchema(() => z.object({ items: z.array(NotificationSchema), nextCursor: z.string().optional() }));
export const PageQuery = lazySchema(() => z.strictObject({ limit: Limit, cursor: z.string().optional() }));
