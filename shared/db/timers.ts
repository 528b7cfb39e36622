import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AppDeps } from '../adapters/deps.js';
import type { TimerExecutionInput } from '../adapters/sfn.js';
import {
  bucketExecutionName,
  catchUpRun,
  normaliseTimerRequest,
  timerBucket,
  timerExecutionName,
  TimerRequestSchema,
  type TimerRequest,
} from '../domain/timers/timer.js';
import { timerScheduled, type TimerScheduled } from '../events/catalog/timer-scheduled.js';
import { buildHistoryItem, type ChangeContext } from './history.js';
import { timerKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import type { TransactItem } from './transact.js';

/** A wait nobody woke is kept this long after its bucket opened (an alarmed, failed bucket can be redriven meanwhile). */
const WAIT_TTL_DAYS = 30;
const DAY_SECONDS = 86_400;

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export interface TimerOutboxOptions {
  /** Defaults: a new ULID, now, and a system context. Pass the command's own to tie the events together. */
  eventId?: string;
  occurredAt?: string;
  context?: ChangeContext;
}

/**
 * The outbox-safe way to wait: put this IN THE SAME TransactWriteItems as the state change that needs
 * the wait. It is the pending wait itself, an item in its time bucket's partition, and also a
 * `timer.scheduled` outbox entry, so the stream → Pipe → bus → `start-timer` subscription opens the
 * bucket's execution only if the transaction commits, and a crash after the commit cannot lose it.
 * Throws InvalidTimerRequest for a malformed request or one more than MAX_TIMER_DAYS ahead.
 */
export const timerTransactItem = (tableName: string, req: TimerRequest, options: TimerOutboxOptions = {}): TransactItem => {
  const occurredAt = options.occurredAt ?? new Date().toISOString();
  const timer = normaliseTimerRequest(req, new Date(occurredAt));
  const bucket = timerBucket(timer.wakeAt, new Date(occurredAt));
  const eventId = options.eventId ?? ulid();
  const data: TimerScheduled = { ...timer, bucket };
  const item = {
    ...buildHistoryItem({
      subjectPK: timerKeys.bucketPartition(bucket),
      subject: { type: 'timer', id: timerExecutionName(timer) },
      eventId,
      eventName: timerScheduled.name,
      eventVersion: timerScheduled.version,
      occurredAt,
      data,
      context: options.context ?? { actor: 'system', via: 'system', correlationId: eventId },
    }),
    ...timerKeys.wait(bucket, eventId),
    [TTL_ATTRIBUTE]: epochSeconds(bucket) + WAIT_TTL_DAYS * DAY_SECONDS,
  };
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
};

/**
 * A standalone schedule, when there is no transaction to join (a wake handler's next wake, or a
 * consumer acting on an event it has already made idempotent). The wait's id derives from
 * (kind, key, token), so a retried call writes nothing new. Returns the bucket it went to.
 */
export const scheduleTimer = async (deps: AppDeps, req: TimerRequest): Promise<{ request: TimerRequest; bucket: string; outcome: 'scheduled' | 'already-scheduled' }> => {
  const now = deps.clock().toISOString();
  const put = timerTransactItem(deps.tableName, req, { eventId: `timer-${timerExecutionName(req)}`, occurredAt: now }).Put!;
  const data = (put.Item as { data: TimerScheduled }).data;
  const request = { kind: data.kind, key: data.key, wakeAt: data.wakeAt, token: data.token };
  try {
    await deps.db.send(new PutCommand({ TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression }));
    return { request, bucket: data.bucket!, outcome: 'scheduled' };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { request, bucket: data.bucket!, outcome: 'already-scheduled' };
    throw error;
  }
};

export interface StartedRun {
  executionName: string;
  outcome: 'started' | 'already-started';
}

const startRun = async (deps: AppDeps, executionName: string, input: TimerExecutionInput): Promise<StartedRun> => {
  if (!deps.timers) throw new Error('No timer starter is configured (TIMER_STATE_MACHINE_ARN, or the local state-machine runner)');
  return { executionName, outcome: await deps.timers.start(executionName, input) };
};

/**
 * Makes sure a scheduled wait will be woken (the `start-timer` consumer):
 * 1. open its bucket: start the execution named after the bucket (a no-op when it exists);
 * 2. if that execution already existed and the bucket has opened, it may have paged past this wait:
 *    start the catch-up of this moment's window (catchUpRun), which pages the bucket a few seconds
 *    later, for every late wait of the window (a no-op when the window's catch-up exists).
 * A `timer.scheduled` without a bucket was written before buckets: it starts its own execution, as then.
 */
export const startTimerRuns = async (deps: AppDeps, scheduled: TimerScheduled): Promise<StartedRun[]> => {
  const { bucket, ...request } = scheduled;
  if (!bucket) return [await startRun(deps, timerExecutionName(request), TimerRequestSchema.parse(request))];
  const runs = [await startRun(deps, bucketExecutionName(bucket), { bucket, wakeAt: bucket })];
  // A bucket execution this call started pages after the wait's commit: it cannot miss it.
  if (runs[0]!.outcome === 'already-started' && Date.parse(bucket) <= deps.clock().getTime()) {
    const catchUp = catchUpRun(bucket, deps.clock());
    runs.push(await startRun(deps, catchUp.executionName, catchUp.input));
  }
  return runs;
};
