import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const RecordErasedSchema = lazySchema(() => z.object({
  module: z.string(),
  recordId: z.string(),
  version: z.number().int(),
  /** The names of the fields erased (never their values). */
  fields: z.array(z.string()),
}));
export type RecordErased = z.infer<typeof RecordErasedSchema>;

export const recordErased = defineEvent({
  name: 'record.erased',
  version: 1,
  description: "An org admin erased a record's personal data (who, when and why are the entry's actor, time and reason); nothing is ever sent to it again.",
  schema: RecordErasedSchema,
});
