import { ulid } from 'ulid';
import type { AppDeps } from '../adapters/deps.js';
import { normaliseTimerRequest, timerExecutionName, TimerRequestSchema, type TimerRequest } from '../domain/timers/timer.js';
import { timerScheduled } from '../events/catalog/timer-scheduled.js';
import { buildHistoryItem, type ChangeContext } from './history.js';
import { timerKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import type { TransactItem } from './transact.js';

/** How long a timer's outbox entry is kept after it was written (the stream delivers it within seconds). */
const TIMER_OUTBOX_TTL_DAYS = 30;

export interface TimerOutboxOptions {
  /** Defaults: a new ULID, now, and a system context. Pass the command's own to tie the events together. */
  eventId?: string;
  occurredAt?: string;
  context?: ChangeContext;
}

/**
 * The outbox-safe way to wait: put this IN THE SAME TransactWriteItems as the state change that needs
 * the wait. It is a `timer.scheduled` outbox entry (in the timer's own partition), so the stream → Pipe
 * → bus → `start-timer` subscription starts the timer state machine only if the transaction commits,
 * and a crash after the commit cannot lose it. The execution name derives from (kind, key, token):
 * a redelivery or a second request for the same timer starts nothing new.
 * Throws InvalidTimerRequest for a malformed request or one more than MAX_TIMER_DAYS ahead.
 */
export const timerTransactItem = (tableName: string, req: TimerRequest, options: TimerOutboxOptions = {}): TransactItem => {
  const occurredAt = options.occurredAt ?? new Date().toISOString();
  const timer = normaliseTimerRequest(req, new Date(occurredAt));
  const eventId = options.eventId ?? ulid();
  const item = buildHistoryItem({
    subjectPK: timerKeys.partition(timer.kind, timer.key),
    subject: { type: 'timer', id: timerExecutionName(timer) },
    eventId,
    eventName: timerScheduled.name,
    eventVersion: timerScheduled.version,
    occurredAt,
    data: timer,
    context: options.context ?? { actor: 'system', via: 'system', correlationId: eventId },
  });
  const expiresAt = Math.floor(new Date(occurredAt).getTime() / 1000) + TIMER_OUTBOX_TTL_DAYS * 86_400;
  return { Put: { TableName: tableName, Item: { ...item, [TTL_ATTRIBUTE]: expiresAt }, ConditionExpression: 'attribute_not_exists(PK)' } };
};

export interface ScheduledTimer {
  executionName: string;
  request: TimerRequest;
  outcome: 'started' | 'already-started';
}

/** Starts an already validated timer through the `timers` port (the state machine, named after the timer). */
export const startTimer = async (deps: AppDeps, request: TimerRequest): Promise<ScheduledTimer> => {
  if (!deps.timers) throw new Error('No timer starter is configured (TIMER_STATE_MACHINE_ARN, or the local state-machine runner)');
  const parsed = TimerRequestSchema.parse(request);
  const executionName = timerExecutionName(parsed);
  return { executionName, request: parsed, outcome: await deps.timers.start(executionName, parsed) };
};

/**
 * A standalone schedule, when there is no transaction to join (e.g. a wake handler's next wake, or a
 * consumer acting on an event it has already made idempotent). Steps: validate and normalise against
 * the clock → start the execution named after (kind, key, token) — starting it twice is a no-op.
 */
export const scheduleTimer = async (deps: AppDeps, req: TimerRequest): Promise<ScheduledTimer> =>
  startTimer(deps, normaliseTimerRequest(req, deps.clock()));
