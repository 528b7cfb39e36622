import { log } from '../../shared/adapters/telemetry.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { CadenceDefinition } from '../../shared/domain/cadence/definition.js';
import { meetsUnenrollment } from '../../shared/domain/cadence/definition.js';
import { calendarFor, nextStep, type PlannedAction } from '../../shared/domain/cadence/planner.js';
import type { TimerRequest, WakeResult } from '../../shared/domain/timers/timer.js';
import { MAX_TIMER_DAYS } from '../../shared/domain/timers/timer.js';
import type { UnenrollReason } from '../../shared/events/catalog/cadences.js';
import { getCadence, getCadenceVersion } from '../../shared/db/cadences-repo.js';
import {
  EnrollmentChanged,
  getEnrollment,
  statusDeltas,
  unenrollWrite,
  withStatus,
  writeEnrollment,
  type EnrollmentItem,
} from '../../shared/db/enrollments-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getRecord, isErased, type RecordItem } from '../../shared/db/records-repo.js';
import { getSuppression } from '../../shared/db/suppression-repo.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { enrollmentTimer, parseCadenceTimerKey } from './replan.js';
import { createStepTask } from './step-task.js';
import { emailSentHistory, MAX_SEND_ATTEMPTS, sendStepEmail } from './send-step.js';
import { deadLetterPut, newDeadLetterItem } from '../../shared/db/dead-letters-repo.js';
import type { TimerScheduled } from '../../shared/events/catalog/timer-scheduled.js';
import type { HistoryItem } from '../../shared/db/history.js';
import { busEntryFromHistory, busEventFromEntry } from '../../shared/events/outbox.js';
import { START_TIMER } from '../events/start-timer.js';

/** Timers wake at most this far ahead (the shared timer's limit); a longer wait wakes early and plans again. */
const MAX_WAIT_MS = (MAX_TIMER_DAYS - 5) * 86_400_000;
/** Actions per wake: far more than any cadence takes at once, and a bound on a runaway loop. */
const MAX_ACTIONS_PER_WAKE = 60;

const cadenceContext = (enrollment: EnrollmentItem, reason?: string): ChangeContext => ({
  actor: 'system',
  via: 'cadence',
  ...(reason ? { reason } : {}),
  correlationId: enrollment.enrollmentId,
});

const stepCounter = (stepId: string, metric: string): Record<string, number> => ({ [`step:${stepId}:${metric}`]: 1 });

type Applied = 'continue' | 'stop';

/**
 * The enrollment waits until `wakeAtMs` (at most the timer's reach): a new plan token and its timer
 * (an outbox item) in one transaction, so a crash right after this write cannot leave the enrollment
 * waiting for a timer nobody started.
 */
const waitUntil = async (deps: AppDeps, enrollment: EnrollmentItem, wakeAtMs: number): Promise<void> => {
  const now = deps.clock();
  const wakeAt = new Date(Math.min(wakeAtMs, now.getTime() + MAX_WAIT_MS)).toISOString();
  const token = deps.newId();
  const timer = enrollmentTimer(deps, enrollment, wakeAt, token, now.toISOString());
  await writeEnrollment(deps, { ...enrollment, planToken: token, wakeAt, version: enrollment.version + 1, updatedAt: now.toISOString() }, enrollment, {}, [timer]);
};

/** Ends the enrollment early (unenrolled) with its reason. */
const unenroll = async (deps: AppDeps, enrollment: EnrollmentItem, reason: UnenrollReason): Promise<Applied> => {
  const { next, counters, extra } = unenrollWrite(deps, enrollment, reason, cadenceContext(enrollment, `Left the cadence: ${reason}`));
  await writeEnrollment(deps, next, enrollment, counters, extra);
  return 'stop';
};

/** Records a step's outcome (and the email's first event times) on the enrollment. */
const recordStep = async (
  deps: AppDeps,
  enrollment: EnrollmentItem,
  stepId: string,
  outcome: EnrollmentItem['steps'][string],
  counters: Record<string, number>,
  extra: TransactItem[] = [],
  sentAt?: string,
): Promise<Applied> => {
  const next: EnrollmentItem = {
    ...enrollment,
    steps: { ...enrollment.steps, [stepId]: outcome },
    ...(sentAt ? { events: { ...enrollment.events, [stepId]: { ...(enrollment.events[stepId] ?? {}), sentAt } } } : {}),
    version: enrollment.version + 1,
    updatedAt: deps.clock().toISOString(),
  };
  await writeEnrollment(deps, next, enrollment, counters, extra);
  return 'continue';
};

/**
 * SES could not take a step's email through every retry (throttled or failing; nothing went out): the
 * step waits for an operator instead of being dropped or marked failed.
 * 1. A new plan token on the enrollment and no timer (any older wake is now stale), in one transaction with
 * 2. a dead letter (`GET /v1/admin/dead-letters`) holding the `timer.scheduled` event that wakes the
 *    enrollment with that token: its replay (`POST …/replay`, to the `start-timer` subscription) starts
 *    the timer, and the wake sends the email (at most once: the send marker was released, not lost).
 * Any other change that re-plans the enrollment (an email event, a reactivation) also resumes it; the
 * replay is then stale and ends quietly.
 */
const deadLetterStep = async (deps: AppDeps, enrollment: EnrollmentItem, stepId: string, error: string): Promise<Applied> => {
  const now = deps.clock().toISOString();
  const token = deps.newId();
  const timer = enrollmentTimer(deps, enrollment, now, token, now);
  const entry = busEventFromEntry(busEntryFromHistory(timer.Put?.Item as HistoryItem));
  // No wait is written (the enrollment waits for the operator), so the event names no bucket: its
  // replay then starts an execution for this one wake, at once (shared/db/timers.ts startTimerRuns).
  const { bucket: _bucket, ...request } = entry.detail.data as TimerScheduled;
  const event = { ...entry, detail: { ...entry.detail, data: request } };
  const failure = Object.assign(new Error(`Cadence ${enrollment.cadenceId} step ${stepId} of record ${enrollment.recordId} was not sent after ${MAX_SEND_ATTEMPTS} attempts: ${error}`), { name: 'CadenceSendDeferred' });
  const letter = newDeadLetterItem(deps, { subscriptionId: START_TIMER, target: { kind: 'consumer', consumer: START_TIMER }, origin: 'timer-wake', event, error: failure, attempts: MAX_SEND_ATTEMPTS });
  const { wakeAt: _w, ...waiting } = enrollment;
  await writeEnrollment(deps, { ...waiting, planToken: token, version: enrollment.version + 1, updatedAt: now }, enrollment, {}, [deadLetterPut(deps, letter)]);
  // Alarmed like a consumer's dead letter; ids only (SES's message may name the address).
  log.error('Cadence email dead-lettered', failure, { cadenceId: enrollment.cadenceId, recordId: enrollment.recordId, stepId, deadLetterId: letter.id });
  return 'stop';
};

/** Carries out one planned action; 'stop' when the enrollment needs no more work in this wake. */
const apply = async (deps: AppDeps, definition: CadenceDefinition, enrollment: EnrollmentItem, record: RecordItem, action: PlannedAction): Promise<Applied> => {
  const now = deps.clock().toISOString();
  switch (action.kind) {
    case 'none':
      return 'stop';
    case 'complete': {
      const { planToken: _t, wakeAt: _w, ...done } = withStatus(enrollment, 'completed', now);
      await writeEnrollment(deps, { ...done, endedAt: now, endedReason: 'completed' }, enrollment, statusDeltas('active', 'completed'));
      return 'stop';
    }
    case 'skip':
      return recordStep(deps, enrollment, action.step.id, { status: 'skipped', at: now, reason: action.reason }, stepCounter(action.step.id, 'skipped'));
    case 'createTask': {
      await createStepTask(deps, enrollment, record, action.step, definition);
      return recordStep(deps, enrollment, action.step.id, { status: 'created', at: now }, stepCounter(action.step.id, 'tasksCreated'));
    }
    case 'send': {
      const to = typeof record.fields.email === 'string' ? record.fields.email.trim() : '';
      if (!to) return unenroll(deps, enrollment, 'noAddress');
      const suppressed = await getSuppression(deps, to);
      if (suppressed) return unenroll(deps, enrollment, suppressed.reason === 'unsubscribed' ? 'unsubscribed' : 'suppressed');
      const outcome = await sendStepEmail(deps, definition, action.step, enrollment, record, to);
      if (outcome.kind === 'busy') throw new EnrollmentChanged(enrollment.cadenceId, enrollment.recordId);
      if (outcome.kind === 'deferred') return deadLetterStep(deps, enrollment, action.step.id, outcome.error);
      if (outcome.kind === 'inFlight') {
        // Another sender holds the claim (or died holding it): look again when its lease is over, then
        // it is sent (the marker says so) or unconfirmed. Spinning here would outlast the wake's retries.
        await waitUntil(deps, enrollment, deps.clock().getTime() + outcome.leaseEndsInMs + 1_000);
        return 'stop';
      }
      if (outcome.kind === 'sent') {
        const history = emailSentHistory(deps, enrollment, action.step.id, outcome, cadenceContext(enrollment));
        return recordStep(deps, enrollment, action.step.id, { status: 'sent', at: outcome.sentAt, messageId: outcome.messageId } as EnrollmentItem['steps'][string], stepCounter(action.step.id, 'sent'), [history], outcome.sentAt);
      }
      const reason = outcome.kind === 'failed' ? `SES refused it: ${outcome.error}`.slice(0, 500) : 'An earlier attempt crashed before SES confirmed it; not resent (it may have gone out)';
      // SES's message may name the address: the log says what failed, the enrollment keeps why.
      log.warn('Cadence email failed', { cadenceId: enrollment.cadenceId, recordId: enrollment.recordId, stepId: action.step.id, outcome: outcome.kind });
      return recordStep(deps, enrollment, action.step.id, { status: 'failed', at: now, reason }, stepCounter(action.step.id, 'failed'));
    }
    case 'wait':
      // Handled by the caller (it stores the next wake); nothing to carry out.
      return 'stop';
  }
};

/**
 * The cadence's wake handler (the shared timer, kind `cadence`): plan → act → plan … → wait.
 * 1. Re-read the enrollment; a different plan token (or no enrollment, or not active) is a stale wake: end quietly.
 * 2. Re-read the cadence (inactive: nothing is sent; its enrollments are paused) and the record
 *    (gone: unenrolled; meets the unenrollment criteria: unenrolled).
 * 3. Ask the planner (the enrollment's own definition version) and carry out its action; repeat.
 * 4. To wait: store a new plan token and wake time with the timer's outbox item, in one transaction
 *    (the stream starts that timer; returning `next` instead would lose it in a crash between the
 *    write and the start).
 * A lost race (an event changed the enrollment meanwhile) re-reads and plans again; a send another
 * wake is doing right now is waited for.
 */
export const wakeEnrollment = async (deps: AppDeps, timer: TimerRequest): Promise<WakeResult> => {
  const ref = parseCadenceTimerKey(timer.key);
  if (!ref) return {};
  const definitions = new Map<number, CadenceDefinition | undefined>();
  for (let i = 0; i < MAX_ACTIONS_PER_WAKE; i++) {
    const enrollment = await getEnrollment(deps, ref.cadenceId, ref.recordId);
    if (!enrollment || enrollment.planToken !== timer.token || enrollment.status !== 'active') return {};
    const cadence = await getCadence(deps, ref.cadenceId);
    if (!cadence?.active) return {};
    if (!definitions.has(enrollment.cadenceVersion)) definitions.set(enrollment.cadenceVersion, await getCadenceVersion(deps, ref.cadenceId, enrollment.cadenceVersion));
    const definition = definitions.get(enrollment.cadenceVersion);
    if (!definition) throw new Error(`Cadence ${ref.cadenceId} has no version ${enrollment.cadenceVersion}`);
    try {
      const record = await getRecord(deps, enrollment.module, enrollment.recordId);
      if (!record) {
        await unenroll(deps, enrollment, 'recordDeleted');
        return {};
      }
      // An erased record is never contacted again (its send claim checks the same, see sendStepEmail).
      if (isErased(record)) {
        await unenroll(deps, enrollment, 'erased');
        return {};
      }
      if (meetsUnenrollment(definition, record.fields, deps.clock())) {
        await unenroll(deps, enrollment, 'criteria');
        return {};
      }
      const state = { status: enrollment.status, enrolledAt: enrollment.enrolledAt, steps: enrollment.steps, calendar: calendarFor(definition, enrollment.timeZone) };
      const plan = nextStep(definition, state, enrollment.events, deps.clock);
      if (plan.action.kind === 'wait' && plan.wakeAt) {
        await waitUntil(deps, enrollment, new Date(plan.wakeAt).getTime());
        return {};
      }
      const applied = await apply(deps, definition, enrollment, record, plan.action);
      if (applied === 'stop') return {};
    } catch (error) {
      if (!(error instanceof EnrollmentChanged)) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
  throw new Error(`Cadence enrollment ${timer.key} did not settle within ${MAX_ACTIONS_PER_WAKE} actions`);
};
