import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AppDeps } from '../adapters/deps.js';
import type { TimerExecutionInput } from '../adapters/sfn.js';
import {
  bucketExecutionName,
  catchUpExecutionName,
  normaliseTimerRequest,
  timerBucket,
  timerExecutionName,
  TimerRequestSchema,
  type TimerRequest,
} from '../domain/timers/timer.js';
import { timerScheduled, type TimerScheduled } from '../events/catalog/timer-scheduled.js';
import { buildHistoryItem, type ChangeContext } from './history.js';
import { timerKeys, type Key } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import type { TransactItem } from './transact.js';

/** A wait nobody woke is kept this long after its bucket opened (an alarmed, failed bucket can be redriven meanwhile). */
const WAIT_TTL_DAYS = 30;
/** A wake's claim is kept this long after it woke: a duplicate of the same (kind, key, token) in that time wakes nothing. */
const WAKE_CLAIM_TTL_DAYS = 90;
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
 *    start a catch-up execution that wakes only this wait (named after it: a redelivery starts nothing new).
 * A `timer.scheduled` without a bucket was written before buckets: it starts its own execution, as then.
 */
export const startTimerRuns = async (deps: AppDeps, scheduled: TimerScheduled, eventId: string): Promise<StartedRun[]> => {
  const { bucket, ...request } = scheduled;
  if (!bucket) return [await startRun(deps, timerExecutionName(request), TimerRequestSchema.parse(request))];
  const runs = [await startRun(deps, bucketExecutionName(bucket), { bucket, wakeAt: bucket })];
  // A bucket execution this call started pages after the wait's commit: it cannot miss it.
  if (runs[0]!.outcome === 'already-started' && Date.parse(bucket) <= deps.clock().getTime()) {
    runs.push(await startRun(deps, catchUpExecutionName(bucket, request), { bucket, wakeAt: bucket, only: timerKeys.wait(bucket, eventId).SK }));
  }
  return runs;
};

/** One pending wait, as its bucket's execution reads it. */
export interface PendingWait {
  key: Key;
  request: TimerRequest;
}

/** One page of a bucket's pending waits (strongly consistent: a wait committed before the read is in it). */
export const pendingWaits = async (
  deps: AppDeps,
  bucket: string,
  options: { startKey?: Record<string, unknown>; limit: number; only?: string },
): Promise<{ waits: PendingWait[]; nextKey?: Record<string, unknown> }> => {
  const pk = timerKeys.bucketPartition(bucket);
  const res = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: options.only ? 'PK = :pk AND SK = :sk' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(options.only ? { ':sk': options.only } : {}) },
      ConsistentRead: true,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  const waits = (res.Items ?? []).map((item) => {
    const { kind, key, wakeAt, token } = item.data as TimerScheduled;
    return { key: { PK: item.PK as string, SK: item.SK as string }, request: { kind, key, wakeAt, token } };
  });
  return { waits, ...(res.LastEvaluatedKey ? { nextKey: res.LastEvaluatedKey } : {}) };
};

/** What claiming a wake found: it is ours now, it already woke, or another execution is waking it. */
export type WakeClaim = { status: 'claimed'; claimId: string } | { status: 'woken' } | { status: 'held'; by: string };

/** Who claims a wake: the execution (its name) and this attempt of its Wake task. */
export interface WakeClaimant {
  execution: string;
  attempt: string;
}

/** A claim whose execution never came back (stopped by hand, say) is taken over after this long. */
export const WAKE_CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Claims the wake of (kind, key, token) with a conditional write, so that it runs once however many
 * waits carry it (a duplicate schedule, a re-run bucket, a catch-up). A claim left by an earlier
 * attempt of the same execution is taken over at once: Step Functions runs one attempt of a task at
 * a time, so that attempt crashed (a Lambda timeout, a killed process). Another execution's claim is
 * that execution's to finish (its own retry or restart takes it over); only after a long lease in
 * real time (not the business clock, which the local cloud scales) may anyone take it.
 */
export const claimWake = async (deps: AppDeps, request: TimerRequest, claimant: WakeClaimant): Promise<WakeClaim> => {
  const key = timerKeys.wake(timerExecutionName(request));
  const claimId = ulid();
  const wallNow = Date.now();
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...key,
          entity: 'TimerWake',
          kind: request.kind,
          key: request.key,
          token: request.token,
          state: 'claimed',
          claimId,
          execution: claimant.execution,
          attempt: claimant.attempt,
          leaseUntil: wallNow + WAKE_CLAIM_LEASE_MS,
          [TTL_ATTRIBUTE]: Math.floor(wallNow / 1000) + WAKE_CLAIM_TTL_DAYS * DAY_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR (#state = :claimed AND ((#execution = :execution AND #attempt <> :attempt) OR #lease < :now))',
        ExpressionAttributeNames: { '#state': 'state', '#execution': 'execution', '#attempt': 'attempt', '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':execution': claimant.execution, ':attempt': claimant.attempt, ':now': wallNow },
      }),
    );
    return { status: 'claimed', claimId };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const current = (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }))).Item;
  if (current?.state === 'woken') return { status: 'woken' };
  return { status: 'held', by: (current?.execution as string | undefined) ?? 'unknown' };
};

/** The wake ran: its claim becomes final (no lease), and the wait that carried it goes. */
export const completeWake = async (deps: AppDeps, request: TimerRequest, claimId: string, wait?: Key): Promise<void> => {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: timerKeys.wake(timerExecutionName(request)),
        UpdateExpression: 'SET #state = :woken, wokenAt = :now REMOVE leaseUntil',
        ConditionExpression: 'claimId = :mine',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':woken': 'woken', ':now': deps.clock().toISOString(), ':mine': claimId },
      }),
    );
  } catch (error) {
    // The claim was taken over (this attempt was presumed dead): the taker completes it.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  if (wait) await dropWait(deps, wait);
};

/** The wake failed: let the next attempt claim it at once rather than after the lease. */
export const releaseWake = async (deps: AppDeps, request: TimerRequest, claimId: string): Promise<void> => {
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.tableName,
        Key: timerKeys.wake(timerExecutionName(request)),
        ConditionExpression: 'claimId = :mine',
        ExpressionAttributeValues: { ':mine': claimId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/** A wait that already woke (another copy carried it): drop it. */
export const dropWait = async (deps: AppDeps, wait: Key): Promise<void> => {
  await deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: wait }));
};
