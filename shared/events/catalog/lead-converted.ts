import * as z from 'zod';
import { RecordEventDataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

const RecordRef = lazySchema(() => z.object({ module: z.string().min(1), id: z.string().min(1) }));

/** `data` of lead.converted: the lead after the change (`converted: true`) and every record created or linked. */
export const LeadConvertedSchema = lazySchema(() => RecordEventDataSchema.extend({
  conversion: z.object({
    contactId: z.string().min(1),
    accountId: z.string().min(1).optional(),
    dealId: z.string().min(1).optional(),
    created: z.array(RecordRef),
    linked: z.array(RecordRef),
  }),
}));
export type LeadConverted = z.infer<typeof LeadConvertedSchema>;

export const leadConverted = defineEvent({
  name: 'lead.converted',
  version: 1,
  description: 'A lead was converted (one transaction): `conversion` names the contact, account and deal, and which were created or linked.',
  schema: LeadConvertedSchema,
});

/** `data` of record.linked: an existing record that a process (lead conversion) linked without changing it. */
export const recordLinked = defineEvent({
  name: 'record.linked',
  version: 1,
  description: 'An existing record was linked to another by a process (e.g. a contact that lead conversion found by email or phone).',
  schema: lazySchema(() => z.object({ module: z.string().min(1), recordId: z.string().min(1), linkedTo: RecordRef, reason: z.string() })),
});
