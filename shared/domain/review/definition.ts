import * as z from 'zod';
import { ParticipantSchema } from '../process/participants.js';
import { processDefinitionBase } from '../process/triggers.js';
import { lazySchema } from '../lazy-schema.js';

const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name'));

/**
 * A review process: records that match are locked for everyone but the reviewers until each field
 * under review is accepted or rejected (with a reason the creator reads). `submitterManager` and
 * `ownerManager` resolve from the record's creator and owner.
 */
export const ReviewProcessDefinitionSchema = lazySchema(() => z
  .strictObject({
    ...processDefinitionBase,
    fields: z.array(FieldName).min(1).max(50),
    reviewers: z.array(ParticipantSchema).min(1).max(50),
  })
  .meta({ id: 'ReviewProcessDefinition' }));
export type ReviewProcessDefinition = z.infer<typeof ReviewProcessDefinitionSchema>;

export const ReviewDecisionBodySchema = lazySchema(() => z
  .strictObject({
    fields: z.record(z.string(), z.strictObject({ accept: z.boolean(), reason: z.string().trim().max(1000).optional() })),
  })
  .meta({ id: 'ReviewDecision' }));
export type ReviewDecisionBody = z.infer<typeof ReviewDecisionBodySchema>;
