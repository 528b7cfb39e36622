import { DEFAULT_CONDITION_WAIT, type CadenceDefinition, type CadenceStep, type Condition } from './definition.js';
import { addDelay, isInsideWindow, nextSendTime, type SendCalendar } from './send-window.js';
import { isValidTimeZone } from './zoned-time.js';

/**
 * The cadence planner: a pure function of (definition, enrollment, what the emails did, clock) →
 * the one thing to do now, or when to wake up next. The executor applies the action, records it, and
 * asks again, until the answer is to wait (or the enrollment is complete).
 */

export type EnrollmentStatus = 'active' | 'paused' | 'completed' | 'unenrolled';
export const ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['active', 'paused', 'completed', 'unenrolled'];

/** What became of a step: an email sent, a task created, or skipped/failed (with why). */
export type StepOutcome = 'sent' | 'created' | 'skipped' | 'failed';

export interface StepRecord {
  status: StepOutcome;
  /** When it happened (ISO). */
  at: string;
  reason?: string;
}

/** What the email of a step did (ISO times of the first of each). */
export interface EmailEvents {
  sentAt?: string;
  deliveredAt?: string;
  openedAt?: string;
  clickedAt?: string;
  repliedAt?: string;
  bouncedAt?: string;
  complainedAt?: string;
}

export interface EnrollmentState {
  status: EnrollmentStatus;
  enrolledAt: string;
  /** The steps that ran (or were skipped), by step id. */
  steps: Readonly<Record<string, StepRecord>>;
  /** The recipient's calendar: their time zone, the cadence's window and holidays. */
  calendar: SendCalendar;
}

export type SkipReason = 'conditionNotMet' | 'parentNotRun' | 'noSendTime';

export type PlannedAction =
  /** Send the email step now (it was due at `dueAt`, and now is inside the send window). */
  | { kind: 'send'; step: Extract<CadenceStep, { type: 'email' }>; dueAt: string }
  /** Create the call or task step's task now. */
  | { kind: 'createTask'; step: Extract<CadenceStep, { type: 'call' | 'task' }>; dueAt: string }
  /** The step will never run: record it as skipped. */
  | { kind: 'skip'; step: CadenceStep; reason: SkipReason }
  /** Nothing is due yet: wake at `wakeAt` (events such as an open also wake the enrollment). */
  | { kind: 'wait' }
  /** Every step ran or was skipped. */
  | { kind: 'complete' }
  /** The enrollment is not active (paused or ended): do nothing. */
  | { kind: 'none' };

export interface Plan {
  action: PlannedAction;
  /** ISO time of the next wake-up, with `wait`. */
  wakeAt?: string;
}

type Resolution = { kind: 'met'; at: Date } | { kind: 'pending'; until: Date } | { kind: 'dead' };

const EVENT_FIELD: Record<Exclude<Condition['event'], 'sent'>, keyof EmailEvents> = {
  opened: 'openedAt',
  notOpened: 'openedAt',
  clicked: 'clickedAt',
  replied: 'repliedAt',
  notReplied: 'repliedAt',
  bounced: 'bouncedAt',
};

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

/** When the condition on the parent's outcome holds, whether it still may, or that it never will. */
const resolveCondition = (condition: Condition | undefined, parentAt: Date, parentEvents: EmailEvents, now: Date, calendar: SendCalendar): Resolution => {
  if (!condition || condition.event === 'sent') return { kind: 'met', at: parentAt };
  const within = condition.within ?? DEFAULT_CONDITION_WAIT;
  const deadline = addDelay(parentAt, within.amount, within.unit, calendar);
  const happened = date(parentEvents[EVENT_FIELD[condition.event]]);
  const negative = condition.event === 'notOpened' || condition.event === 'notReplied';
  if (negative) {
    if (happened && happened.getTime() < deadline.getTime()) return { kind: 'dead' };
    return now.getTime() >= deadline.getTime() ? { kind: 'met', at: deadline } : { kind: 'pending', until: deadline };
  }
  if (happened && happened.getTime() <= deadline.getTime()) return { kind: 'met', at: new Date(Math.max(happened.getTime(), parentAt.getTime())) };
  return now.getTime() >= deadline.getTime() ? { kind: 'dead' } : { kind: 'pending', until: deadline };
};

interface Candidate {
  index: number;
  at: Date;
  action: PlannedAction;
}

/**
 * The next thing to do for an enrollment.
 * 1. Not active → none.
 * 2. For each step not yet run whose parent ran (or that follows the enrollment): a parent skipped or
 *    failed → skip; else resolve its condition on the parent's email (met at T / pending until D / never).
 * 3. Met: due = the later of (enrollment or T) + timing and T; email steps then move into the send
 *    window and off holidays in the recipient's time zone (none within reach → skip); one found late,
 *    outside the window, waits for the next opening.
 * 4. Skips first, then the step due earliest (ties: definition order) if it is due now; otherwise wait
 *    until the earliest due time or condition deadline; with nothing left, complete.
 */
export const nextStep = (definition: CadenceDefinition, enrollment: EnrollmentState, events: Readonly<Record<string, EmailEvents>>, clock: () => Date): Plan => {
  if (enrollment.status !== 'active') return { action: { kind: 'none' } };
  const now = clock();
  const calendar = enrollment.calendar;
  const enrolledAt = new Date(enrollment.enrolledAt);
  const skips: Candidate[] = [];
  const due: Candidate[] = [];
  let wakeAt: Date | undefined;
  const wakeNoLaterThan = (at: Date) => {
    if (!wakeAt || at.getTime() < wakeAt.getTime()) wakeAt = at;
  };
  let open = 0;

  definition.steps.forEach((step, index) => {
    if (enrollment.steps[step.id]) return;
    open += 1;
    let metAt: Date;
    if (step.parent === undefined) metAt = enrolledAt;
    else {
      const parent = enrollment.steps[step.parent];
      if (!parent) return; // waits for its parent, which has its own time
      if (parent.status === 'skipped' || parent.status === 'failed') {
        skips.push({ index, at: now, action: { kind: 'skip', step, reason: 'parentNotRun' } });
        return;
      }
      const parentEvents = events[step.parent] ?? {};
      const parentAt = date(parentEvents.sentAt) ?? new Date(parent.at);
      const resolution = resolveCondition(step.condition, parentAt, parentEvents, now, calendar);
      if (resolution.kind === 'dead') {
        skips.push({ index, at: now, action: { kind: 'skip', step, reason: 'conditionNotMet' } });
        return;
      }
      if (resolution.kind === 'pending') {
        wakeNoLaterThan(resolution.until);
        return;
      }
      metAt = resolution.at;
    }
    const base = step.timing.after === 'enrollment' ? enrolledAt : metAt;
    const delayed = addDelay(base, step.timing.amount, step.timing.unit, calendar);
    const dueAt = delayed.getTime() < metAt.getTime() ? metAt : delayed;
    if (step.type === 'email') {
      // Late (a wake-up after a restart): the window may have closed since; then the next opening.
      const first = nextSendTime(dueAt, calendar);
      const sendAt = first && first.getTime() <= now.getTime() && !isInsideWindow(now, calendar) ? nextSendTime(now, calendar) : first;
      if (!sendAt) {
        skips.push({ index, at: now, action: { kind: 'skip', step, reason: 'noSendTime' } });
        return;
      }
      due.push({ index, at: sendAt, action: { kind: 'send', step, dueAt: dueAt.toISOString() } });
    } else {
      due.push({ index, at: dueAt, action: { kind: 'createTask', step, dueAt: dueAt.toISOString() } });
    }
  });

  const first = skips[0];
  if (first) return { action: first.action };
  due.sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
  const next = due[0];
  if (next && next.at.getTime() <= now.getTime()) return { action: next.action };
  if (next) wakeNoLaterThan(next.at);
  if (open === 0) return { action: { kind: 'complete' } };
  // Open steps with no time of their own wait for an ancestor, which always has one.
  return wakeAt ? { action: { kind: 'wait' }, wakeAt: wakeAt.toISOString() } : { action: { kind: 'complete' } };
};

/** A recipient's sending calendar: their time zone with the cadence's send window and holidays. */
export const calendarFor = (definition: Pick<CadenceDefinition, 'sendWindow' | 'holidays'>, timeZone: string): SendCalendar => ({
  timeZone,
  ...(definition.sendWindow ? { window: definition.sendWindow } : {}),
  holidays: new Set(definition.holidays),
});

/** The recipient's time zone: the record's `timeZone`, else the cadence's, else the organisation's. */
export const recipientZone = (definition: Pick<CadenceDefinition, 'timeZone'>, fields: Readonly<Record<string, unknown>>, orgTimeZone: string): string => {
  const own = fields.timeZone;
  if (typeof own === 'string' && isValidTimeZone(own)) return own;
  return definition.timeZone ?? orgTimeZone;
};
