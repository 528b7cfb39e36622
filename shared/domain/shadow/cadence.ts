import { meetsEnrollment, meetsUnenrollment, type CadenceDefinition, type CadenceStep } from '../cadence/definition.js';
import { calendarFor, nextStep, recipientZone, type EmailEvents, type EnrollmentStatus, type StepRecord } from '../cadence/planner.js';
import type { ShadowChange } from './change.js';
import { count, recordKey, type Outcome, type Sample, type Tally } from './tally.js';

/** A cadence under trial: its definition, the id it is saved under, the organisation's time zone, and (published) when it was activated. */
export interface CadenceSubject {
  kind: 'cadence';
  cadenceId: string;
  definition: CadenceDefinition;
  orgTimeZone: string;
  /** Live, events before the activation enroll no one (functions/events/cadence-enroller.ts). */
  enrollsFrom?: string;
}

interface ShadowEnrollment {
  module: string;
  recordId: string;
  status: EnrollmentStatus;
  enrolledAt: string;
  timeZone: string;
  steps: Record<string, StepRecord>;
  events: Record<string, EmailEvents>;
  wakeAt?: string;
}

export interface CadenceReplayState {
  /** The record's fields as last seen. */
  fields: Record<string, Record<string, unknown>>;
  /** One per record: automatic enrollment enrolls a record once (an ended one stays, as live). */
  enrollments: Record<string, ShadowEnrollment>;
  /** What the cadence under trial's emails did live, per `record#step` (its `email.*` entries): the customer's own reactions. */
  live: Record<string, EmailEvents>;
  /** Enrollments and sends recorded live (`enrolled#record`, `sent#record#step`), for the cross-check. */
  recorded: Record<string, true>;
  /** The same, as this replay decided them. */
  decided: Record<string, true>;
  /** Pending wakes `[wakeAt, record]`, latest first (the next due is last); one is stale once its enrollment waits for another time. */
  wakes: Array<[string, string]>;
}
export const emptyCadenceState = (): CadenceReplayState => ({ fields: {}, enrollments: {}, live: {}, recorded: {}, decided: {}, wakes: [] });

/** Orders wakes latest first: by time, then by record (ties wake in record order, as fireCadenceWakes promises). */
const laterFirst = (a: [string, string], b: [string, string]): number => b[0].localeCompare(a[0]) || b[1].localeCompare(a[1]);

/** Plans the enrollment's wake: kept sorted (binary search), so that finding what is due costs nothing per change. */
const planWake = (state: CadenceReplayState, key: string, wakeAt: string): void => {
  state.enrollments[key]!.wakeAt = wakeAt;
  const entry: [string, string] = [wakeAt, key];
  let lo = 0;
  let hi = state.wakes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (laterFirst(state.wakes[mid]!, entry) <= 0) lo = mid + 1;
    else hi = mid;
  }
  state.wakes.splice(lo, 0, entry);
};

/** Actions per wake, as the live wake bounds them (functions/cadences/run-enrollment.ts). */
const MAX_ACTIONS_PER_WAKE = 60;
const DEPENDS_ON_CUSTOMER = 'dependsOnCustomer';

const REACTIONS: Record<string, keyof EmailEvents> = {
  'email.sent': 'sentAt',
  'email.delivered': 'deliveredAt',
  'email.opened': 'openedAt',
  'email.clicked': 'clickedAt',
  'email.replied': 'repliedAt',
  'email.bounced': 'bouncedAt',
  'email.complained': 'complainedAt',
};

const stepLabel = (step: CadenceStep): string => step.name ?? step.subject;
const stepOutcome = (step: CadenceStep): Outcome => (step.type === 'email' ? { kind: 'email', label: step.subject } : { kind: 'task', label: step.subject });

const sampleOf = (e: ShadowEnrollment, sourceEvent: string, at: string, extra: Partial<Sample>): Sample => ({
  sourceEvent,
  record: { module: e.module, id: e.recordId },
  outcome: 'ran',
  actions: [],
  at,
  ...extra,
});

/** Ends an enrollment early, with why (as unenrollWrite does live). */
const unenroll = (tally: Tally, e: ShadowEnrollment, reason: string, sourceEvent: string, at: string): void => {
  e.status = 'unenrolled';
  delete e.wakeAt;
  count(tally, { kind: 'skipped', label: `Left the cadence: ${reason}` }, sampleOf(e, sourceEvent, at, { outcome: 'refused', reason: `Left the cadence: ${reason}` }));
};

/**
 * The enrollment's planner loop at `now`, as the live wake runs it: the record meeting the unenrollment
 * criteria ends it; then the planner's action is carried out (an email: counted by its template
 * subject; a call or task: counted; a skip; completion) and the planner asked again, until it waits.
 */
const runEnrollment = (subject: CadenceSubject, tally: Tally, state: CadenceReplayState, key: string, now: string): void => {
  const def = subject.definition;
  const e = state.enrollments[key]!;
  delete e.wakeAt;
  if (e.status !== 'active') return;
  const fields = state.fields[key] ?? {};
  if (meetsUnenrollment(def, fields, new Date(now))) return unenroll(tally, e, 'criteria', 'cadence.wake', now);
  for (let n = 0; n < MAX_ACTIONS_PER_WAKE; n++) {
    const plan = nextStep(def, { status: e.status, enrolledAt: e.enrolledAt, steps: e.steps, calendar: calendarFor(def, e.timeZone) }, e.events, () => new Date(now));
    const action = plan.action;
    if (action.kind === 'wait') {
      if (plan.wakeAt) planWake(state, key, plan.wakeAt);
      return;
    }
    if (action.kind === 'none') return;
    if (action.kind === 'complete') {
      e.status = 'completed';
      return;
    }
    const step = action.step;
    // The past cannot tell what a customer would have done with an email the live cadence never sent:
    // a step whose condition needs that reaction (or its absence) depends on the customer, and so does
    // everything after it. Recorded as such, not guessed (counted once per branch in the limits).
    const parentReason = step.parent === undefined ? undefined : e.steps[step.parent]?.reason;
    const reactionUnknown = step.parent !== undefined && step.condition !== undefined && step.condition.event !== 'sent' && state.live[`${key}#${step.parent}`]?.sentAt === undefined;
    if (parentReason === DEPENDS_ON_CUSTOMER || reactionUnknown) {
      e.steps[step.id] = { status: 'skipped', at: now, reason: DEPENDS_ON_CUSTOMER };
      if (parentReason !== DEPENDS_ON_CUSTOMER) tally.limits.dependsOnCustomer += 1;
      const reason = `Depends on the customer: the condition "${step.condition?.event ?? 'sent'}" on an email the live cadence never sent`;
      count(tally, { kind: 'skipped', label: `Depends on the customer: ${stepLabel(step)}` }, sampleOf(e, 'cadence.wake', now, { outcome: 'refused', reason }));
      continue;
    }
    if (action.kind === 'skip') {
      e.steps[step.id] = { status: 'skipped', at: now, reason: action.reason };
      count(tally, { kind: 'skipped', label: `${stepLabel(step)}: ${action.reason}` }, sampleOf(e, 'cadence.wake', now, { outcome: 'criteria-not-met', reason: action.reason }));
      continue;
    }
    if (action.kind === 'send') {
      const to = typeof fields.email === 'string' ? fields.email.trim() : '';
      if (!to) return unenroll(tally, e, 'noAddress', 'cadence.wake', now);
      // The customer's reactions to this very email, where the live cadence sent it (recorded in the window).
      e.events[step.id] = { ...(state.live[`${key}#${step.id}`] ?? {}), sentAt: now };
      e.steps[step.id] = { status: 'sent', at: now };
      state.decided[`sent#${key}#${step.id}`] = true;
    } else {
      e.steps[step.id] = { status: 'created', at: now };
    }
    const outcome = stepOutcome(step);
    const index = def.steps.findIndex((s) => s.id === step.id);
    count(tally, outcome, sampleOf(e, 'cadence.wake', now, { actions: [{ index, type: step.type, status: 'done', detail: outcome.label }] }));
  }
};

/** Enrolls a record (automatically, or as it was enrolled by hand live) and plans it at once, as the live enrollment's immediate timer does. */
const enroll = (subject: CadenceSubject, tally: Tally, state: CadenceReplayState, key: string, change: ShadowChange, reason: string): void => {
  const fields = state.fields[key] ?? change.fields;
  const e: ShadowEnrollment = { module: change.module, recordId: change.recordId, status: 'active', enrolledAt: change.at, timeZone: recipientZone(subject.definition, fields, subject.orgTimeZone), steps: {}, events: {} };
  state.enrollments[key] = e;
  state.decided[`enrolled#${key}`] = true;
  count(tally, { kind: 'enrollment', label: subject.definition.name }, sampleOf(e, change.event, change.at, { reason }));
  runEnrollment(subject, tally, state, key, change.at);
};

/** Enrollment waits due by `until` fire first, in time order (ties: by record), as the shared timer wakes them; a stale wake is dropped. */
export const fireCadenceWakes = (subject: CadenceSubject, tally: Tally, state: CadenceReplayState, until: string): void => {
  for (let next = state.wakes.at(-1); next && next[0] <= until; next = state.wakes.at(-1)) {
    state.wakes.pop();
    const [wakeAt, key] = next;
    if (state.enrollments[key]?.wakeAt === wakeAt) runEnrollment(subject, tally, state, key, wakeAt);
  }
};

const isRunning = (e: ShadowEnrollment | undefined): e is ShadowEnrollment => e?.status === 'active' || e?.status === 'paused';

/** A recorded `email.*` entry of the cadence under trial: the customer's reaction, applied as recordEmailReaction applies it live. */
const replayReaction = (subject: CadenceSubject, tally: Tally, state: CadenceReplayState, key: string, change: ShadowChange, field: keyof EmailEvents): void => {
  const data = change.data as { stepId?: string; at?: string } | undefined;
  if (!data?.stepId) return;
  const at = data.at ?? change.at;
  const lk = `${key}#${data.stepId}`;
  const live = (state.live[lk] ??= {});
  if (live[field]) return;
  live[field] = at;
  if (field === 'sentAt') {
    state.recorded[`sent#${lk}`] = true;
    return;
  }
  const e = state.enrollments[key];
  if (!e || e.steps[data.stepId]?.status !== 'sent') return;
  const events = (e.events[data.stepId] ??= {});
  if (events[field]) return;
  events[field] = at;
  const { onReply, onBounce } = subject.definition.unenrollment;
  const endsOn = field === 'repliedAt' && onReply ? 'replied' : (field === 'bouncedAt' || field === 'complainedAt') && onBounce ? field.replace('At', '') : undefined;
  if (isRunning(e) && endsOn) return unenroll(tally, e, endsOn, change.event, change.at);
  if (e.status === 'active' && field !== 'deliveredAt') runEnrollment(subject, tally, state, key, change.at);
};

/**
 * One recorded change through the cadence, as the live consumers take it (functions/events/cadence-enroller.ts,
 * functions/cadences/reactions.ts): a deleted record's enrollment ends; a record meeting the unenrollment
 * criteria leaves; a created (onCreate) or created/updated (onCreateOrUpdate) record meeting the enrollment
 * criteria enrolls once; a manual enrollment recorded live for this cadence enrolls as it did; the
 * recorded reactions to this cadence's emails are the customer's, and exits and branches follow them.
 */
export const replayCadenceChange = (subject: CadenceSubject, tally: Tally, state: CadenceReplayState, change: ShadowChange): void => {
  const def = subject.definition;
  if (change.module !== def.module) return;
  const key = recordKey(change.module, change.recordId);
  const data = change.data as { cadenceId?: string; trigger?: string } | undefined;
  const ofThisCadence = data?.cadenceId === subject.cadenceId;
  const reaction = REACTIONS[change.event];
  if (reaction) {
    if (ofThisCadence) replayReaction(subject, tally, state, key, change, reaction);
    return;
  }
  if (change.event === 'cadence.enrolled') {
    if (!ofThisCadence) return;
    state.recorded[`enrolled#${key}`] = true;
    if (data?.trigger === 'manual' && !isRunning(state.enrollments[key])) enroll(subject, tally, state, key, change, 'Enrolled by hand, as it was live');
    return;
  }
  const existing = state.enrollments[key];
  if (change.event === 'record.deleted') {
    delete state.fields[key];
    if (isRunning(existing)) unenroll(tally, existing, 'recordDeleted', change.event, change.at);
    return;
  }
  if (change.event !== 'record.created' && change.event !== 'record.updated') return;
  state.fields[key] = change.fields;
  const now = new Date(change.at);
  if (isRunning(existing) && meetsUnenrollment(def, change.fields, now)) unenroll(tally, existing, 'criteria', change.event, change.at);
  const { trigger } = def.enrollment;
  const fits = trigger === 'onCreateOrUpdate' || (trigger === 'onCreate' && change.event === 'record.created');
  if (!fits || existing || (subject.enrollsFrom && change.at < subject.enrollsFrom)) return;
  if (!meetsEnrollment(def, change.fields, now) || meetsUnenrollment(def, change.fields, now)) return;
  enroll(subject, tally, state, key, change, `Matches the enrollment criteria of cadence ${def.name}`);
};

/** The cross-check against what was recorded live: of the enrollments and sends either side has, how many only one has. */
export const cadenceMismatches = (state: CadenceReplayState): { checked: number; mismatches: number } => {
  const keys = new Set([...Object.keys(state.recorded), ...Object.keys(state.decided)]);
  let mismatches = 0;
  for (const k of keys) if (!(k in state.recorded) || !(k in state.decided)) mismatches += 1;
  return { checked: keys.size, mismatches };
};
