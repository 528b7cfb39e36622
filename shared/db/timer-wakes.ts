import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AppDeps } from '../adapters/deps.js';
import { timerExecutionName, type TimerRequest } from '../domain/timers/timer.js';
import type { TimerScheduled } from '../events/catalog/timer-scheduled.js';
import { timerKeys, type Key } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import { retrier, TRANSACTION_CONFLICT_BUDGET } from './backoff.js';
import type { BatchWriteRequest } from './batch-write.js';
import { batchGet } from './query.js';
import { isTransactionConflict, MAX_TRANSACT_ITEMS } from './transact.js';

/**
 * The waking side of the shared timer (stepfunctions/timer/tasks/wake.ts): page a bucket's pending
 * waits, and claim (many at once), complete or release their wakes. The scheduling side is shared/db/timers.ts.
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

/** The claim item of a wake, as claimed (with a lease) or as woken (final). */
const claimItem = (request: TimerRequest, claimant: WakeClaimant, claimId: string, wallNow: number, woken?: { at: string }) => ({
  ...timerKeys.wake(timerExecutionName(request)),
  entity: 'TimerWake',
  kind: request.kind,
  key: request.key,
  token: request.token,
  claimId,
  execution: claimant.execution,
  attempt: claimant.attempt,
  ...(woken ? { state: 'woken', wokenAt: woken.at } : { state: 'claimed', leaseUntil: wallNow + WAKE_CLAIM_LEASE_MS }),
  [TTL_ATTRIBUTE]: Math.floor(wallNow / 1000) + WAKE_CLAIM_TTL_DAYS * DAY_SECONDS,
});

/**
 * The conditional Put of a claim: no claim yet, or one this execution's earlier attempt left (Step
 * Functions runs one attempt of a task at a time, so that attempt crashed: a Lambda timeout, a killed
 * process), or one whose lease ran out in real time (not the business clock, which the local cloud scales).
 */
const claimPut = (deps: AppDeps, request: TimerRequest, claimant: WakeClaimant, claimId: string, wallNow: number) => ({
  TableName: deps.tableName,
  Item: claimItem(request, claimant, claimId, wallNow),
  ConditionExpression: 'attribute_not_exists(PK) OR (#state = :claimed AND ((#execution = :execution AND #attempt <> :attempt) OR #lease < :now))',
  ExpressionAttributeNames: { '#state': 'state', '#execution': 'execution', '#attempt': 'attempt', '#lease': 'leaseUntil' },
  ExpressionAttributeValues: { ':claimed': 'claimed', ':execution': claimant.execution, ':attempt': claimant.attempt, ':now': wallNow },
});

/** What a claim that could not be taken says: it woke, or another execution holds it. */
const takenClaim = (current: Record<string, unknown> | undefined): WakeClaim =>
  current?.state === 'woken' ? { status: 'woken' } : { status: 'held', by: (current?.execution as string | undefined) ?? 'unknown' };

/**
 * Claims the wake of (kind, key, token) with a conditional write, so that it runs once however many
 * waits carry it (a duplicate schedule, a re-run bucket, a catch-up). A claim left by an earlier
 * attempt of the same execution is taken over at once; another execution's claim is that
 * execution's to finish (its own retry or restart takes it over); only after a long lease in real
 * time may anyone take it.
 */
export const claimWake = async (deps: AppDeps, request: TimerRequest, claimant: WakeClaimant): Promise<WakeClaim> => {
  const claimId = ulid();
  const retries = retrier(TRANSACTION_CONFLICT_BUDGET);
  for (;;) {
    try {
      await deps.db.send(new PutCommand(claimPut(deps, request, claimant, claimId, Date.now())));
      return { status: 'claimed', claimId };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) break;
      // Another execution's claims of a page are in flight (claimWakes): its transaction decides, then we ask again.
      if (!(error instanceof TransactionConflictException) || !(await retries.retry())) throw error;
    }
  }
  const key = timerKeys.wake(timerExecutionName(request));
  return takenClaim((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }))).Item);
};

/**
 * Claims many distinct wakes at once, as `claimWake` claims one: one TransactWriteItems per 100 wakes
 * when none is taken. A cancelled transaction names the claims whose condition failed: those are read
 * back in one BatchGetItem (woken, or held by another execution) and the rest are claimed again in one
 * more transaction; a conflict with another execution's claims in flight is retried with jittered
 * backoff (the conditions are checked again, so two executions paging one bucket never both claim a wake).
 * Answers each wake's claim by its name (`timerExecutionName`).
 */
export const claimWakes = async (deps: AppDeps, requests: readonly TimerRequest[], claimant: WakeClaimant): Promise<Map<string, WakeClaim>> => {
  const claims = new Map<string, WakeClaim>();
  const distinct = [...new Map(requests.map((r) => [timerExecutionName(r), r])).values()];
  if (distinct.length === 1) claims.set(timerExecutionName(distinct[0]!), await claimWake(deps, distinct[0]!, claimant));
  if (distinct.length <= 1) return claims;
  const taken: TimerRequest[] = [];
  for (let i = 0; i < distinct.length; i += MAX_TRANSACT_ITEMS) {
    const wallNow = Date.now();
    let pending = distinct.slice(i, i + MAX_TRANSACT_ITEMS).map((request) => ({ request, claimId: ulid() }));
    const retries = retrier(TRANSACTION_CONFLICT_BUDGET);
    while (pending.length > 0) {
      try {
        await deps.db.send(new TransactWriteCommand({ TransactItems: pending.map((p) => ({ Put: claimPut(deps, p.request, claimant, p.claimId, wallNow) })) }));
        for (const p of pending) claims.set(timerExecutionName(p.request), { status: 'claimed', claimId: p.claimId });
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = new Set(reasons.flatMap((r, index) => (r.Code === 'ConditionalCheckFailed' ? [index] : [])));
        if (failed.size > 0) {
          taken.push(...pending.filter((_, index) => failed.has(index)).map((p) => p.request));
          pending = pending.filter((_, index) => !failed.has(index));
        } else if (!isTransactionConflict(error) || !(await retries.retry())) {
          throw error;
        }
      }
    }
  }
  const current = new Map(
    (await batchGet<Record<string, unknown>>(deps, taken.map((r) => timerKeys.wake(timerExecutionName(r))), true)).map((item) => [item.PK as string, item]),
  );
  for (const request of taken) claims.set(timerExecutionName(request), takenClaim(current.get(timerKeys.wake(timerExecutionName(request)).PK)));
  return claims;
};

/**
 * The writes that end a wake that ran: its claim becomes final (woken, no lease) and the waits that
 * carried it go. For a batch (BatchWriteItem, no condition): the claim is put whole rather than
 * updated under `claimId = mine`, which is still true if the claim was taken over meanwhile (this
 * attempt was presumed dead), since the wake did run to its end: the taker's release, conditional on
 * its own claimId, then changes nothing, and its completion writes the same final state.
 */
export const wokenWrites = (deps: AppDeps, request: TimerRequest, claimant: WakeClaimant, claimId: string, waits: readonly Key[]): BatchWriteRequest[] => [
  { PutRequest: { Item: claimItem(request, claimant, claimId, Date.now(), { at: deps.clock().toISOString() }) } },
  ...waitDeletes(waits),
];

/** The writes that drop waits whose wake already woke (another copy carried it). */
export const waitDeletes = (waits: readonly Key[]): BatchWriteRequest[] => waits.map((wait) => ({ DeleteRequest: { Key: wait } }));

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
