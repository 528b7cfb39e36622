import * as z from 'zod';
import { ModuleDefinitionSchema } from '../../domain/records/module-definition.js';
import { OrgRoleSchema } from '../../domain/users/user.js';
import { lazySchema } from '../../domain/lazy-schema.js';

/** One changed field: its value before and after (null where absent). */
export const ChangeSchema = lazySchema(() => z.object({ field: z.string().min(1), old: z.unknown(), new: z.unknown() }));
export type Change = z.infer<typeof ChangeSchema>;

const FieldValueSchema = lazySchema(() => z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));

/** The lock a pending approval or review holds on a record (shared/domain/records/write-guards.ts). */
export const RecordLockViewSchema = lazySchema(() => z
  .object({
    reason: z.enum(['approval', 'review']),
    approvalId: z.string().optional(),
    reviewId: z.string().optional(),
    since: z.iso.datetime(),
    /** Fields that may still be changed while locked. */
    editableFields: z.array(z.string()),
  })
  .meta({ id: 'RecordLock' }));

/** A record as front-ends read it (shared/db/records-repo.ts `toRecordView`). */
export const RecordViewSchema = lazySchema(() => z.object({
  id: z.string().min(1),
  module: z.string().min(1),
  version: z.number().int().min(1),
  ownerId: z.string().min(1),
  fields: z.record(z.string(), FieldValueSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lock: RecordLockViewSchema.optional(),
}));

/** `data` of the record.* events (shared/db/records-repo.ts `recordEventData`). */
export const RecordEventDataSchema = lazySchema(() => z.object({
  module: z.string().min(1),
  recordId: z.string().min(1),
  version: z.number().int().min(1),
  ownerId: z.string().min(1),
  changes: z.array(ChangeSchema),
  record: RecordViewSchema,
}));

/** A module's stored metadata (definition plus bookkeeping). */
export const ModuleMetadataSchema = lazySchema(() => ModuleDefinitionSchema.safeExtend({
  kind: z.enum(['standard', 'custom', 'team']),
  version: z.number().int().min(1),
  createdAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
}));

/** A user as the directory holds it; `managerId` is null when there is none. */
export const UserEventUserSchema = lazySchema(() => z.object({
  id: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
  orgRole: OrgRoleSchema,
  managerId: z.string().min(1).nullable(),
}));
