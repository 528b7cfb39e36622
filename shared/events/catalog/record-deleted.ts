import * as z from 'zod';
import { ChangeSchema, RecordEventDataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const RecordDeletedSchema = lazySchema(() => RecordEventDataSchema.extend({
  /** Every field the record had, with `new: null`. */
  changes: z.array(ChangeSchema.extend({ new: z.null() })),
}));
export type RecordDeleted = z.infer<typeof RecordDeletedSchema>;

export const recordDeleted = defineEvent({
  name: 'record.deleted',
  version: 1,
  description: 'A record was deleted; `record` is what it was just before.',
  schema: RecordDeletedSchema,
});
