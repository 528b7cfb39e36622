import * as z from 'zod';
import { actionSchema, MAX_ACTIONS } from '../actions/schema.js';
import { ALWAYS, CriteriaSchema } from '../criteria/index.js';
import { ParticipantSchema } from '../process/participants.js';
import { ModuleNameSchema } from '../records/module-definition.js';
import { lazySchema } from '../lazy-schema.js';

const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name'));
const StateName = lazySchema(() => z.string().min(1).max(120));

/** A field a transition asks for, with checks beyond its type. */
export const TransitionFieldSchema = lazySchema(() => z.strictObject({
  name: FieldName,
  required: z.boolean().default(true),
  /** Numbers: bounds on the value; dates/datetimes: ISO bounds; text: bounds on the length. */
  min: z.union([z.number().finite(), z.iso.date()]).optional(),
  max: z.union([z.number().finite(), z.iso.date()]).optional(),
  /** Must be later than (dates) or greater than (numbers) this other field, as it will be after the transition. */
  after: FieldName.optional(),
}));
export type TransitionField = z.infer<typeof TransitionFieldSchema>;

/**
 * After-actions (and approval actions) from the one action library: they run from the process's event
 * (`blueprint.transitioned`, `approval.decided`), never inside the command's transaction; validated
 * against the module at save.
 */
export const AfterActionsSchema = lazySchema(() => z.array(actionSchema).max(MAX_ACTIONS).default([]));

export const TransitionSchema = lazySchema(() => z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Lower-case letters, digits and -'),
    name: z.string().min(1).max(120),
    /**
     * normal: from one state; common: from any state (`from` omitted); parallel: transitions with the same
     * from and to that must all be done before the record moves; automatic: after `afterHours` in `from`,
     * it moves to `to` (or, with `escalate`, stays and runs its after-actions, e.g. tell the manager).
     */
    kind: z.enum(['normal', 'common', 'parallel', 'automatic']).default('normal'),
    from: StateName.optional(),
    to: StateName.optional(),
    afterHours: z.number().positive().max(24 * 366).optional(),
    escalate: z.boolean().optional(),
    before: z
      .strictObject({
        who: z.array(ParticipantSchema).max(50).default([]),
        criteria: CriteriaSchema.default(ALWAYS),
      })
      .default({ who: [], criteria: ALWAYS }),
    during: z
      .strictObject({
        fields: z.array(TransitionFieldSchema).max(50).default([]),
        note: z.enum(['none', 'optional', 'required']).default('optional'),
        checklist: z.array(z.string().min(1).max(200)).max(20).default([]),
      })
      .default({ fields: [], note: 'optional', checklist: [] }),
    after: AfterActionsSchema,
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'common' && t.from !== undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'A common transition runs from any state: omit from' });
    if (t.kind !== 'common' && t.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: `A ${t.kind} transition needs from` });
    if (!(t.kind === 'automatic' && t.escalate) && t.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Needs to (only an escalating automatic transition stays)' });
    if (t.kind === 'automatic' && t.afterHours === undefined) ctx.addIssue({ code: 'custom', path: ['afterHours'], message: 'An automatic transition needs afterHours' });
    if (t.kind !== 'automatic' && (t.afterHours !== undefined || t.escalate !== undefined)) ctx.addIssue({ code: 'custom', path: ['afterHours'], message: 'Only automatic transitions take afterHours/escalate' });
    if (t.kind !== 'automatic' && t.before.who.length === 0) ctx.addIssue({ code: 'custom', path: ['before', 'who'], message: 'Name who may perform it' });
  }));
export type Transition = z.infer<typeof TransitionSchema>;

export const BlueprintDefinitionSchema = lazySchema(() => z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    module: ModuleNameSchema,
    /** The picklist field the blueprint governs; its values are the states. */
    field: FieldName,
    /** Which records the blueprint applies to (all when empty). */
    entryCriteria: CriteriaSchema.default(ALWAYS),
    initialState: StateName,
    states: z.array(StateName).min(2).max(50),
    transitions: z.array(TransitionSchema).min(1).max(100),
  })
  .meta({ id: 'BlueprintDefinition' }));
export type BlueprintDefinition = z.infer<typeof BlueprintDefinitionSchema>;
