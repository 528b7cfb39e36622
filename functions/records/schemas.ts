import * as z from 'zod';
import { ModuleDefinitionSchema, ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { RecordLockViewSchema } from '../../shared/events/catalog/common.js';
import { mergedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const FieldValuesSchema = lazySchema(() => z.record(z.string(), z.unknown()).meta({
  description:
    'Field values keyed by field name; types follow the module metadata. Number, currency and percent values are JSON numbers between -9007199254740991 and 9007199254740991 (2^53 - 1) with at most 10 decimal places (currency 2; percent 0 to 100); anything else is a 400 at fields.<name>.',
}));

export const RecordSchema = lazySchema(() => z
  .object({
    id: z.string(),
    module: z.string(),
    version: z.number().int(),
    ownerId: z.string(),
    fields: FieldValuesSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lock: RecordLockViewSchema.optional(),
    erasure: z
      .object({
        status: z.enum(['pending', 'done']),
        requestedAt: z.iso.datetime(),
        requestedBy: z.string(),
        reason: z.string(),
        fields: z.array(z.string()).describe('The fields erased (those marked personal); their values are gone'),
        erasedAt: z.iso.datetime().optional(),
      })
      .optional()
      .describe('Present once an org admin erased the record: nothing changes it or contacts it again'),
  })
  .meta({ id: 'Record' }));

/** Why the personal data is erased (kept in history: say the request, never the data itself). */
export const EraseRecordBody = lazySchema(() => z.strictObject({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'EraseRecord' }));
export type EraseRecordInput = z.infer<typeof EraseRecordBody>;

export const RecordPageSchema = lazySchema(() => z.object({ items: z.array(RecordSchema), nextCursor: z.string().optional() }).meta({ id: 'RecordPage' }));

export const ModuleParams = lazySchema(() => z.object({ module: ModuleNameSchema }));
export const RecordParams = lazySchema(() => z.object({ module: ModuleNameSchema, id: z.string().min(1).max(64) }));
export const RelatedParams = lazySchema(() => RecordParams.extend({ relatedModule: ModuleNameSchema }));

export const CreateRecordBody = lazySchema(() => z
  .strictObject({
    fields: FieldValuesSchema,
    ownerId: z.string().min(1).max(128).optional(),
  })
  .meta({ id: 'CreateRecord' }));

export const PatchRecordBody = lazySchema(() => z
  .strictObject({
    fields: FieldValuesSchema.optional(),
    ownerId: z.string().min(1).max(128).optional(),
  })
  .refine((b) => b.fields !== undefined || b.ownerId !== undefined, { message: 'Send fields or ownerId', path: ['fields'] })
  .meta({ id: 'PatchRecord' }));

const Limit = lazySchema(() => z.coerce.number().int().min(1).max(200).default(50));

export const PageQuery = lazySchema(() => z.strictObject({ limit: Limit, cursor: z.string().optional() }));

/** `filter[<field>]=<value>` pairs are equality filters on field values. */
export const FILTER_PARAM = /^filter\[([a-z][a-zA-Z0-9]{0,63})\]$/;

export const ListRecordsQuery = lazySchema(() => z
  .object({
    limit: Limit,
    cursor: z.string().optional(),
    sort: z.enum(['updatedAt', '-updatedAt']).default('-updatedAt'),
    ownerId: z.string().min(1).optional(),
  })
  .catchall(z.string())
  .superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (['limit', 'cursor', 'sort', 'ownerId'].includes(key)) continue;
      if (!FILTER_PARAM.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'Unknown query parameter (filters are filter[<field>]=<value>)' });
    }
  })
  .meta({ description: 'Equality filters: filter[<field>]=<value>, e.g. filter[leadStatus]=New' }));

export const LookupQuery = lazySchema(() => z.strictObject({
  field: z.string().min(1).max(64),
  value: z.string().min(1).max(320),
  limit: Limit,
  cursor: z.string().optional(),
}));

export const HistoryEntrySchema = lazySchema(() => z
  .object({
    id: z.string(),
    event: z.string(),
    actor: z.string(),
    via: z.string(),
    /** Which automation made the change (`via` is then automation, blueprint, approval…). */
    automation: z.object({ kind: z.string(), id: z.string(), name: z.string() }).optional(),
    reason: z.string().optional(),
    changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
    summary: z.string().optional(),
    occurredAt: z.iso.datetime(),
    correlationId: z.string(),
  })
  .meta({ id: 'HistoryEntry' }));

export const HistoryPageSchema = lazySchema(() => z.object({ items: z.array(HistoryEntrySchema), nextCursor: z.string().optional() }));

export const ModuleSchema = lazySchema(() => ModuleDefinitionSchema.safeExtend({
  kind: z.enum(['standard', 'custom', 'team']),
  version: z.number().int(),
  createdAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
}).meta({ id: 'Module' }));

/** PUT takes what GET answers (name, kind, team, version and timestamps are read-only) or just `label` and `fields`. */
export const UpdateModuleBody = lazySchema(() => mergedDefinitionBody(z.strictObject({ label: z.string().min(1).max(120).optional(), fields: ModuleDefinitionSchema.shape.fields }), ModuleSchema));

export const ModuleListSchema = lazySchema(() => z.object({ items: z.array(ModuleSchema), nextCursor: z.string().optional() }));
export const CreateModuleBody = lazySchema(() => ModuleDefinitionSchema.meta({ id: 'ModuleDefinition' }));

/** Progress of the view backfill that follows a change of the module's fields (GET /v1/modules/{module}/backfill). */
export const ViewBackfillSchema = lazySchema(() => z.object({
  module: z.string(),
  /** The view generation: the version of the module definition the views are computed for. */
  generation: z.number().int().min(1),
  /** `done` also when nothing needs backfilling (a module never changed); `pending` until the first run starts. */
  status: z.enum(['pending', 'running', 'done', 'superseded']),
  /** Records the backfill counted (records written since the change were counted by their own writes). */
  processed: z.number().int().min(0),
  /** Records looked at so far. */
  scanned: z.number().int().min(0),
  startedAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
}));
export type ViewBackfill = z.infer<typeof ViewBackfillSchema>;
