import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AppDeps } from '../adapters/deps.js';
import { timerExecutionName, type TimerRequest } from '../domain/timers/timer.js';
import type { TimerScheduled } from '../events/catalog/timer-scheduled.js';
import { timerKeys, type Key } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';

/**
 * The waking side of the shared timer (stepfunctions/timer/tasks/wake.ts): page a bucket's pending
 * waits, and claim, complete or release each wake. The scheduling side is shared/db/timers.ts.
 */

/** A wake's claim is kept this long after it woke: a duplicate of the same (kind, key, token) in that time wakes nothing. */
const WAKE_CLAIM_TTL_DAYS = 90;
const DAY_SECONDS = 86_400;

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
