import * as z from 'zod';
import { ParticipantSchema } from '../process/participants.js';
import { processDefinitionBase } from '../process/triggers.js';
import { AfterActionsSchema } from '../blueprint/definition.js';
import { lazySchema } from '../lazy-schema.js';

const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name'));

export const ApprovalLevelSchema = lazySchema(() => z.strictObject({
  approvers: z.array(ParticipantSchema).min(1).max(50),
  /** anyone: the first approval settles the level; everyone: each approver must approve. A rejection always ends it. */
  rule: z.enum(['anyone', 'everyone']).default('anyone'),
  sla: z
    .strictObject({
      remindAfterHours: z.number().positive().max(24 * 366).optional(),
      escalateAfterHours: z.number().positive().max(24 * 366).optional(),
    })
    .optional(),
}));
export type ApprovalLevel = z.infer<typeof ApprovalLevelSchema>;

export const ApprovalProcessDefinitionSchema = lazySchema(() => z
  .strictObject({
    ...processDefinitionBase,
    levels: z.array(ApprovalLevelSchema).min(1).max(10),
    /** Fields anyone with normal access may still change while the record is locked. */
    editableFields: z.array(FieldName).max(50).default([]),
    onApprove: AfterActionsSchema,
    onReject: AfterActionsSchema,
    /** On rejection, move the record's blueprint back to this state (the send-back step). */
    sendBackTo: z.string().min(1).max(120).optional(),
  })
  .meta({ id: 'ApprovalProcessDefinition' }));
export type ApprovalProcessDefinition = z.infer<typeof ApprovalProcessDefinitionSchema>;
