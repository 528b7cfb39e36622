import * as z from 'zod';
import { ALWAYS, conditionCount, criteriaHold, CriteriaSchema, withUpgradedCriteria } from '../criteria/index.js';
import { TIME_ZONE_MESSAGE, isValidTimeZone } from './zoned-time.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * A cadence: a sequence of follow-ups (emails, calls, tasks) for the records of one module, each step
 * after the enrollment or after its parent step, optionally on a condition on what the parent email
 * did (opened, not replied within N…), so that sibling steps with complementary conditions branch.
 * Stored as versioned data: editing creates a version, and enrollments keep the one they started with.
 */

export const CADENCE_MODULES = ['Leads', 'Contacts'] as const;
export const MAX_STEPS = 25;
export const MAX_HOLIDAYS = 400;
/** A positive condition (opened, clicked, replied, bounced) without `within` waits this long for its event. */
export const DEFAULT_CONDITION_WAIT = { amount: 30, unit: 'days' } as const;

const StepIdSchema = lazySchema(() => z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'Lower-case letters, digits and -, starting with a letter (at most 40)'));
const HhMmSchema = lazySchema(() => z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'A time HH:MM'));
const EndHhMmSchema = lazySchema(() => z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time HH:MM (24:00 is the end of the day)'));

const isRealDate = (value: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
};

export const TimeZoneSchema = lazySchema(() => z.string().refine(isValidTimeZone, TIME_ZONE_MESSAGE));

export const DurationSchema = lazySchema(() => z.strictObject({
  amount: z.number().int().min(0).max(100_000),
  unit: z.enum(['minutes', 'hours', 'days', 'businessDays']),
}));
export type Duration = z.infer<typeof DurationSchema>;

export const TimingSchema = lazySchema(() => z
  .strictObject({
    /** Counted from the enrollment, or from the moment the step's condition on its parent was met (its parent ran, for no condition). */
    after: z.enum(['enrollment', 'previousStep']).default('previousStep'),
    amount: z.number().int().min(0).max(100_000),
    unit: z.enum(['minutes', 'hours', 'days', 'businessDays']),
  })
  .meta({ id: 'CadenceStepTiming' }));
export type Timing = z.infer<typeof TimingSchema>;

export const CONDITION_EVENTS = ['sent', 'opened', 'notOpened', 'clicked', 'replied', 'notReplied', 'bounced'] as const;
export type ConditionEvent = (typeof CONDITION_EVENTS)[number];
/** Conditions that hold once something did NOT happen for a while: they need `within`. */
export const NEGATIVE_CONDITIONS: readonly ConditionEvent[] = ['notOpened', 'notReplied'];

export const ConditionSchema = lazySchema(() => z
  .strictObject({
    /** What the parent step's email did. */
    event: z.enum(CONDITION_EVENTS),
    /** notOpened/notReplied: how long to wait; positive events: how long the branch waits for it (default 30 days). */
    within: DurationSchema.optional(),
  })
  .meta({ id: 'CadenceStepCondition' }));
export type Condition = z.infer<typeof ConditionSchema>;

const stepBase = {
  id: StepIdSchema,
  name: lazySchema(() => z.string().trim().min(1).max(120).optional()),
  /** The step this one follows; absent: it follows the enrollment. */
  parent: lazySchema(() => StepIdSchema.optional()),
  condition: lazySchema(() => ConditionSchema.optional()),
  timing: lazySchema(() => TimingSchema.default({ after: 'previousStep', amount: 0, unit: 'minutes' })),
};

export const EmailStepSchema = lazySchema(() => z.strictObject({
  ...stepBase,
  type: z.literal('email'),
  /** Merge fields `{{fieldName}}`, `{{record.id}}`, `{{owner.name}}`, `{{sender.name}}`. */
  subject: z.string().trim().min(1).max(200),
  text: z.string().min(1).max(20_000),
  html: z.string().min(1).max(100_000).optional(),
}));

export const CallStepSchema = lazySchema(() => z.strictObject({
  ...stepBase,
  type: z.literal('call'),
  /** The task the record's owner gets (merge fields allowed). */
  subject: z.string().trim().min(1).max(200),
  dueInDays: z.number().int().min(0).max(365).default(0),
}));

export const TaskStepSchema = lazySchema(() => z.strictObject({
  ...stepBase,
  type: z.literal('task'),
  subject: z.string().trim().min(1).max(200),
  assignee: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('owner') }),
      z.strictObject({ kind: z.literal('manager') }),
      z.strictObject({ kind: z.literal('user'), userId: z.string().min(1).max(128) }),
    ])
    .default({ kind: 'owner' }),
  dueInDays: z.number().int().min(0).max(365).default(0),
}));

export const CadenceStepSchema = lazySchema(() => z.discriminatedUnion('type', [EmailStepSchema, CallStepSchema, TaskStepSchema]).meta({ id: 'CadenceStep' }));
export type CadenceStep = z.infer<typeof CadenceStepSchema>;
export type EmailStep = z.infer<typeof EmailStepSchema>;

export const SendWindowSchema = lazySchema(() => z
  .strictObject({
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    start: HhMmSchema,
    end: EndHhMmSchema,
  })
  .superRefine((w, ctx) => {
    if (new Set(w.days).size !== w.days.length) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Days must be unique' });
    if (w.end <= w.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'The window must end after it starts' });
  })
  .meta({ id: 'CadenceSendWindow' }));

export const CadenceDefinitionSchema = lazySchema(() => z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).optional(),
    module: z.enum(CADENCE_MODULES),
    /** Who the emails come from: the display name, and an address of the verified SES domain (default: the deployment's MAIL_FROM). */
    sender: z.strictObject({ name: z.string().trim().min(1).max(100), email: z.email().max(254).optional() }),
    /** Recipients without a `timeZone` field get this one (default: the organisation's). */
    timeZone: TimeZoneSchema.optional(),
    /** When email steps may go out, in the recipient's time zone. Absent: at any time. */
    sendWindow: SendWindowSchema.optional(),
    /** Local dates on which nothing goes out and that are not business days. */
    holidays: z
      .array(z.string().refine(isRealDate, 'A date YYYY-MM-DD'))
      .max(MAX_HOLIDAYS)
      .default([]),
    steps: z.array(CadenceStepSchema).min(1).max(MAX_STEPS),
    enrollment: z
      .strictObject({
        /** manual: only through the API; onCreate: records created matching the criteria; onCreateOrUpdate: also records that come to match them. */
        trigger: z.enum(['manual', 'onCreate', 'onCreateOrUpdate']).default('manual'),
        /** Which records enroll (no conditions: every record). */
        criteria: CriteriaSchema.default(ALWAYS),
      })
      .default({ trigger: 'manual', criteria: ALWAYS }),
    unenrollment: z
      .strictObject({
        /** The record leaves when these hold (no conditions: never on criteria). */
        criteria: CriteriaSchema.default(ALWAYS),
        onReply: z.boolean().default(true),
        /** A bounce or a complaint ends the enrollment (the address is suppressed either way). */
        onBounce: z.boolean().default(true),
      })
      .default({ criteria: ALWAYS, onReply: true, onBounce: true }),
  })
  .meta({ id: 'CadenceDefinition' }));
export type CadenceDefinition = z.infer<typeof CadenceDefinitionSchema>;
export type CadenceDefinitionInput = z.input<typeof CadenceDefinitionSchema>;

/** The record meets the enrollment criteria at `now`. */
export const meetsEnrollment = (def: CadenceDefinition, fields: Readonly<Record<string, unknown>>, now: Date): boolean => criteriaHold(def.enrollment.criteria, fields, now);

/** The record meets the unenrollment criteria at `now` (criteria without conditions never unenroll). */
export const meetsUnenrollment = (def: CadenceDefinition, fields: Readonly<Record<string, unknown>>, now: Date): boolean =>
  conditionCount(def.unenrollment.criteria) > 0 && criteriaHold(def.unenrollment.criteria, fields, now);

/** A cadence as stored with its criteria in an earlier shape (a list; equals/notEquals/isSet), in today's. */
export const upgradeCadenceDefinition = (def: CadenceDefinition): CadenceDefinition => ({
  ...def,
  ...(def.enrollment ? { enrollment: withUpgradedCriteria(def.enrollment, 'criteria', ALWAYS) } : {}),
  ...(def.unenrollment ? { unenrollment: withUpgradedCriteria(def.unenrollment, 'criteria', ALWAYS) } : {}),
});
