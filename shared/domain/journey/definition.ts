import * as z from 'zod';
import { RunsSchema } from '../actions/schema.js';
import { ALWAYS, CriteriaSchema, withUpgradedCriteria } from '../criteria/index.js';
import { ModuleNameSchema } from '../records/module-definition.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * A journey (CommandCenter): one customer's way through states, across modules (a lead, then its
 * contact after conversion, and the contact's deals, cases and travel applications). Transitions fire
 * on record and email events, on time spent in a state, or by hand; entering a state can act.
 */
const StateId = lazySchema(() => z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'kebab-case, at most 40 characters'));
const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'Must be a field name (camelCase)'));
const Value = lazySchema(() => z.union([z.string().max(255), z.number(), z.boolean()]));

export const DurationSchema = lazySchema(() => z.strictObject({ amount: z.number().int().min(1).max(10_000), unit: z.enum(['minutes', 'hours', 'days']) }));
export type Duration = z.infer<typeof DurationSchema>;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export const durationMs = (d: Duration): number => d.amount * UNIT_MS[d.unit];

/** Which records a trigger or the entry takes (criteria on the record's fields; none: every record). */
const Where = lazySchema(() => CriteriaSchema.default(ALWAYS));

export const JourneyTriggerSchema = lazySchema(() => z.discriminatedUnion('type', [
  /** A record of a spanned module is created for this customer (e.g. a High-priority case of the contact). */
  z.strictObject({ type: z.literal('recordCreated'), module: ModuleNameSchema, where: Where }),
  /** A field of the customer's record (or a related one) takes a value. */
  z.strictObject({ type: z.literal('fieldChanged'), module: ModuleNameSchema, field: FieldName, to: Value.optional(), where: Where }),
  z.strictObject({ type: z.literal('leadConverted') }),
  z.strictObject({ type: z.literal('dealStageChanged'), to: z.string().max(120).optional() }),
  z.strictObject({ type: z.literal('email'), event: z.enum(['sent', 'opened', 'clicked', 'replied']) }),
  /** No reply within the time after the journey's last email to the customer (a timer). */
  z.strictObject({ type: z.literal('emailNotReplied'), within: DurationSchema }),
  /** A deadline: after this long in the state (a timer). */
  z.strictObject({ type: z.literal('timeInState'), after: DurationSchema }),
  z.strictObject({ type: z.literal('manual') }),
]));
export type JourneyTrigger = z.infer<typeof JourneyTriggerSchema>;

const Assignee = lazySchema(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('owner') }),
  z.strictObject({ kind: z.literal('manager') }),
  z.strictObject({ kind: z.literal('user'), userId: z.string().min(1).max(64) }),
]));
const Template = lazySchema(() => z.string().min(1).max(5000));

/**
 * What entering a state does. Generic actions run through the action library; the rest are journey
 * steps. An action that creates something runs once per (instance, state) unless `runs: everyTime`.
 */
export const JourneyActionSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('createTask'), subject: Template, assignee: Assignee, dueInDays: z.number().int().min(0).max(365).default(1), runs: RunsSchema.optional() }),
  z.strictObject({ type: z.literal('sendEmail'), to: z.enum(['customer', 'owner', 'manager']), subject: Template, text: Template }),
  z.strictObject({ type: z.literal('notify'), to: Assignee, message: Template }),
  /** Assign the record that triggered the move to the owner's manager, set fields (e.g. status Escalated), and tell the customer. */
  z.strictObject({ type: z.literal('escalate'), setFields: z.record(FieldName, Value).default({}), emailCustomer: z.strictObject({ subject: Template, text: Template }).optional() }),
  /** A lead converts once by nature: a converted lead is not converted again. */
  z.strictObject({ type: z.literal('convertLead') }),
  /** A record related to the customer (e.g. the travel application for the contact); `fields` may use {{field}} of the customer's record. */
  z.strictObject({ type: z.literal('createRecord'), module: ModuleNameSchema, customerField: FieldName, fields: z.record(FieldName, Value), runs: RunsSchema.optional() }),
  z.strictObject({ type: z.literal('enrollInCadence'), cadence: z.string().min(1).max(120), runs: RunsSchema.optional() }),
  z.strictObject({ type: z.literal('unenrollFromCadence'), cadence: z.string().min(1).max(120) }),
]));
export type JourneyAction = z.infer<typeof JourneyActionSchema>;

export const JourneyStateSchema = lazySchema(() => z.strictObject({
  id: StateId,
  name: z.string().min(1).max(120),
  onEnter: z.array(JourneyActionSchema).max(20).default([]),
}));
export type JourneyState = z.infer<typeof JourneyStateSchema>;

export const JourneyTransitionSchema = lazySchema(() => z.strictObject({
  id: StateId,
  /** The states it leaves from; `*` for any state but the target. */
  from: z.union([z.literal('*'), z.array(StateId).min(1).max(50)]),
  to: StateId,
  trigger: JourneyTriggerSchema,
}));
export type JourneyTransition = z.infer<typeof JourneyTransitionSchema>;

export const JourneyDefinitionSchema = lazySchema(() => z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    /** The modules it follows a customer across; the first is where instances start. */
    modules: z.array(ModuleNameSchema).min(1).max(10),
    /** An instance starts when a record of the first module is created (matching these conditions). */
    entry: z.strictObject({ where: Where }).default({ where: ALWAYS }),
    initial: StateId,
    /** The state Pathfinder measures conversion to (default: the last state). */
    goal: StateId.optional(),
    /** An instance that has not reached the goal this long after it started counts as dropped off where it stands (default 90 days; see drop-off.ts). */
    dropOffAfter: DurationSchema.optional(),
    states: z.array(JourneyStateSchema).min(2).max(50),
    transitions: z.array(JourneyTransitionSchema).min(1).max(200),
  })
  .meta({ id: 'JourneyDefinition' }));
export type JourneyDefinition = z.infer<typeof JourneyDefinitionSchema>;

export const goalOf = (def: JourneyDefinition): string => def.goal ?? def.states.at(-1)!.id;

/** A journey as stored with `where` lists of `{ field, equals }`, in today's criteria shape. */
export const upgradeJourneyDefinition = (def: JourneyDefinition): JourneyDefinition => ({
  ...def,
  ...(def.entry ? { entry: withUpgradedCriteria(def.entry, 'where', ALWAYS) } : {}),
  transitions: (def.transitions ?? []).map((t) => ('where' in t.trigger ? { ...t, trigger: withUpgradedCriteria(t.trigger, 'where', ALWAYS) } : t)),
});
