import * as z from 'zod';
import { ChangeSchema, RecordEventDataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const RecordCreatedSchema = lazySchema(() => RecordEventDataSchema.extend({
  /** Every field set at creation, with `old: null`. */
  changes: z.array(ChangeSchema.extend({ old: z.null() })),
}));
export type RecordCreated = z.infer<typeof RecordCreatedSchema>;

export const recordCreated = defineEvent({
  name: 'record.created',
  version: 1,
  description: 'A record was created; `record` is the record as created (version 1).',
  schema: RecordCreatedSchema,
});
