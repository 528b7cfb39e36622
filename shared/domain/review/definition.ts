import { z } from 'zod';
import { CriteriaSchema } from '../process/criteria.js';
import { ParticipantSchema } from '../process/participants.js';
import { ProcessTriggerSchema } from '../process/triggers.js';
import { ModuleNameSchema } from '../records/module-definition.js';

const FieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name');

/**
 * A review process: records that match are locked for everyone but the reviewers until each field
 * under review is accepted or rejected (with a reason the creator reads). `submitterManager` and
 * `ownerManager` resolve from the record's creator and owner.
 */
export const ReviewProcessDefinitionSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    module: ModuleNameSchema,
    active: z.boolean().default(true),
    triggers: ProcessTriggerSchema,
    criteria: CriteriaSchema,
    fields: z.array(FieldName).min(1).max(50),
    reviewers: z.array(ParticipantSchema).min(1).max(50),
  })
  .meta({ id: 'ReviewProcessDefinition' });
export type ReviewProcessDefinition = z.infer<typeof ReviewProcessDefinitionSchema>;

export const ReviewDecisionBodySchema = z
  .strictObject({
    fields: z.record(z.string(), z.strictObject({ accept: z.boolean(), reason: z.string().trim().max(1000).optional() })),
  })
  .meta({ id: 'ReviewDecision' });
export type ReviewDecisionBody = z.infer<typeof ReviewDecisionBodySchema>;
