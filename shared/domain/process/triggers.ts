import * as z from 'zod';
import { ALWAYS, CriteriaSchema, criteriaHold, type Criteria } from '../criteria/index.js';
import { ModuleNameSchema } from '../records/module-definition.js';
import type { FieldValues } from '../records/field-values.js';
import { lazySchema } from '../lazy-schema.js';

const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name'));

/**
 * When a process starts on its own: on create, on edit (when one of `fields` changed; any field when
 * empty), and/or on manual submission. `submittedBy: members` limits it to changes made by org
 * members (not admins, not automation acting as the system).
 */
export const ProcessTriggerSchema = lazySchema(() => z
  .strictObject({
    onCreate: z.boolean().default(false),
    onEdit: z.strictObject({ fields: z.array(FieldName).max(50).default([]) }).optional(),
    manual: z.boolean().default(false),
    submittedBy: z.enum(['anyone', 'members']).default('anyone'),
  })
  .default({ onCreate: false, manual: false, submittedBy: 'anyone' }));
export type ProcessTrigger = z.infer<typeof ProcessTriggerSchema>;

export interface WriteEvent {
  kind: 'create' | 'edit' | 'manual';
  changedFields: readonly string[];
  /** The record's fields after the write. */
  fields: Readonly<FieldValues>;
  /** When the write happens (criteria with relative dates count from it). */
  at: Date;
  submitterRole: 'admin' | 'member' | 'guest';
}

/** Whether a write (or a manual submission) starts a process with this trigger and criteria. */
export const triggerFires = (trigger: ProcessTrigger, criteria: Criteria, event: WriteEvent): boolean => {
  if (trigger.submittedBy === 'members' && event.submitterRole !== 'member' && event.kind !== 'manual') return false;
  const when =
    event.kind === 'create'
      ? trigger.onCreate
      : event.kind === 'manual'
        ? trigger.manual
        : trigger.onEdit !== undefined && (trigger.onEdit.fields.length === 0 ? event.changedFields.length > 0 : event.changedFields.some((f) => trigger.onEdit?.fields.includes(f)));
  return when && criteriaHold(criteria, event.fields, event.at);
};

/** What every approval and review process definition starts with: its name, module, switch, triggers and entry criteria. */
export const processDefinitionBase = {
  name: lazySchema(() => z.string().trim().min(1).max(120)),
  module: ModuleNameSchema,
  active: lazySchema(() => z.boolean().default(true)),
  triggers: ProcessTriggerSchema,
  /** Entry criteria: which records go in. */
  criteria: lazySchema(() => CriteriaSchema.default(ALWAYS)),
};
