import * as z from 'zod';
import { ChangeSchema, RecordEventDataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const RecordUpdatedSchema = lazySchema(() => RecordEventDataSchema.extend({
  /** The fields the change touched, old and new (`ownerId` appears as a field when the owner changed). */
  changes: z.array(ChangeSchema).min(1),
}));
export type RecordUpdated = z.infer<typeof RecordUpdatedSchema>;

export const recordUpdated = defineEvent({
  name: 'record.updated',
  version: 1,
  description: 'Fields of a record changed; `record` is the record after the change.',
  schema: RecordUpdatedSchema,
});
