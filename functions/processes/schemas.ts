import * as z from 'zod';
import { ApprovalProcessDefinitionSchema } from '../../shared/domain/approval/definition.js';
import { BlueprintDefinitionSchema } from '../../shared/domain/blueprint/definition.js';
import { ReviewDecisionBodySchema, ReviewProcessDefinitionSchema } from '../../shared/domain/review/definition.js';
import { ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { UserIdSchema } from '../../shared/domain/users/user.js';
import { FieldDefinitionSchema } from '../../shared/domain/records/module-definition.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export { ApprovalProcessDefinitionSchema, BlueprintDefinitionSchema, ReviewDecisionBodySchema, ReviewProcessDefinitionSchema };

const Id = lazySchema(() => z.string().min(1).max(64));
export const IdParams = lazySchema(() => z.object({ id: Id }));
export const RecordParams = lazySchema(() => z.object({ module: ModuleNameSchema, id: Id }));
export const TransitionParams = lazySchema(() => RecordParams.extend({ transitionId: z.string().min(1).max(64) }));
export const ApprovalActionParams = lazySchema(() => z.object({ id: Id, action: z.enum(['approve', 'reject', 'delegate', 'recall']) }));

const Limit = lazySchema(() => z.coerce.number().int().min(1).max(200).default(50));
export const DefinitionListQuery = lazySchema(() => z.strictObject({ limit: Limit, cursor: z.string().optional(), module: ModuleNameSchema.optional() }));
export const InboxQuery = lazySchema(() => z.strictObject({
  status: z.literal('pending').default('pending'),
  assignee: z.union([z.literal('me'), UserIdSchema]).default('me'),
  limit: Limit,
  cursor: z.string().optional(),
}));

/** A definition's head as front-ends read it: the draft, its revision (ETag) and the published version. */
const definitionView = <T extends z.ZodType>(draft: T, id: string) =>
  z
    .object({
      id: z.string(),
      module: z.string(),
      name: z.string(),
      draft,
      revision: z.number().int(),
      publishedVersion: z.number().int().meta({ description: '0 until first published' }),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
      createdBy: z.string(),
      updatedBy: z.string(),
    })
    .meta({ id });

export const BlueprintViewSchema = lazySchema(() => definitionView(BlueprintDefinitionSchema, 'Blueprint'));
export const ApprovalProcessViewSchema = lazySchema(() => definitionView(ApprovalProcessDefinitionSchema, 'ApprovalProcess'));
export const ReviewProcessViewSchema = lazySchema(() => definitionView(ReviewProcessDefinitionSchema, 'ReviewProcess'));
/** PUT takes what GET answers (its `draft`; the rest is read-only) or the definition flat. */
export const BlueprintEditBody = lazySchema(() => wrappedDefinitionBody(BlueprintDefinitionSchema, BlueprintViewSchema, 'draft'));
export const ApprovalProcessEditBody = lazySchema(() => wrappedDefinitionBody(ApprovalProcessDefinitionSchema, ApprovalProcessViewSchema, 'draft'));
export const ReviewProcessEditBody = lazySchema(() => wrappedDefinitionBody(ReviewProcessDefinitionSchema, ReviewProcessViewSchema, 'draft'));
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().optional() });
export const BlueprintPageSchema = lazySchema(() => page(BlueprintViewSchema));
export const ApprovalProcessPageSchema = lazySchema(() => page(ApprovalProcessViewSchema));
export const ReviewProcessPageSchema = lazySchema(() => page(ReviewProcessViewSchema));

export const MigrateBody = lazySchema(() => z
  .strictObject({
    /** The published version to move records to (default: the latest). */
    toVersion: z.number().int().min(1).optional(),
    /** Old state → state of the target version; unmapped states are kept (they must exist in the target). */
    stateMapping: z.record(z.string().min(1).max(120), z.string().min(1).max(120)).default({}),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: z.string().optional(),
  })
  .meta({ id: 'BlueprintMigration' }));
export const MigrationResultSchema = lazySchema(() => z.object({
  toVersion: z.number().int(),
  migrated: z.array(z.object({ recordId: z.string(), fromVersion: z.number().int(), from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ recordId: z.string(), reason: z.string() })),
  nextCursor: z.string().optional(),
}));

export const TransitionOfferSchema = lazySchema(() => z
  .object({
    id: z.string(),
    name: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    kind: z.enum(['normal', 'common', 'parallel', 'automatic']),
    fields: z.array(FieldDefinitionSchema.and(z.object({ required: z.boolean(), min: z.union([z.number(), z.string()]).optional(), max: z.union([z.number(), z.string()]).optional(), after: z.string().optional() }))),
    note: z.enum(['none', 'optional', 'required']),
    checklist: z.array(z.string()),
  })
  .meta({ id: 'TransitionOffer' }));
export const TransitionListSchema = lazySchema(() => z.object({ items: z.array(TransitionOfferSchema), blueprintId: z.string().optional(), blueprintVersion: z.number().int().optional(), state: z.string().optional() }));

export const TransitionBody = lazySchema(() => z
  .strictObject({
    fields: z.record(z.string(), z.unknown()).optional(),
    note: z.string().max(2000).optional(),
    checklist: z.array(z.string().max(200)).max(20).optional(),
  })
  .default({})
  .meta({ id: 'TransitionInput' }));

export const SubmitForApprovalBody = lazySchema(() => z.strictObject({ processId: Id.optional(), comment: z.string().max(1000).optional() }).default({}).meta({ id: 'SubmitForApproval' }));
export const ApprovalActionBody = lazySchema(() => z
  .strictObject({ comment: z.string().max(1000).optional(), toUserId: UserIdSchema.optional() })
  .default({})
  .meta({ id: 'ApprovalAction' }));

const HistoryEntry = lazySchema(() => z.object({
  at: z.iso.datetime(),
  by: z.string(),
  action: z.string(),
  level: z.number().int(),
  comment: z.string().optional(),
  toUserIds: z.array(z.string()).optional(),
  onBehalfOf: z.string().optional(),
}));
export const ApprovalSchema = lazySchema(() => z
  .object({
    id: z.string(),
    processId: z.string(),
    processName: z.string(),
    processVersion: z.number().int(),
    module: z.string(),
    recordId: z.string(),
    status: z.enum(['pending', 'approved', 'rejected', 'recalled']),
    level: z.number().int(),
    levels: z.number().int(),
    approverIds: z.array(z.string()),
    submittedBy: z.string(),
    submittedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().optional(),
    history: z.array(HistoryEntry),
  })
  .meta({ id: 'Approval' }));
export const ApprovalPageSchema = lazySchema(() => page(ApprovalSchema));
export const ApprovalListSchema = lazySchema(() => z.object({ items: z.array(ApprovalSchema) }));

export const ReviewSchema = lazySchema(() => z
  .object({
    id: z.string(),
    processId: z.string(),
    processName: z.string(),
    module: z.string(),
    recordId: z.string(),
    status: z.enum(['pending', 'accepted', 'rejected']),
    fields: z.record(z.string(), z.object({ value: z.unknown(), accept: z.boolean().optional(), reason: z.string().optional() })),
    reviewerIds: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().optional(),
    log: z.array(z.object({ at: z.iso.datetime(), by: z.string(), action: z.string(), decisions: z.record(z.string(), z.object({ accept: z.boolean(), reason: z.string().optional() })).optional(), onBehalfOf: z.string().optional() })),
  })
  .meta({ id: 'Review' }));
export const ReviewPageSchema = lazySchema(() => page(ReviewSchema));
