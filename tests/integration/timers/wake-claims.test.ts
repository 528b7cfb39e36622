import { describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { timerBucket, timerExecutionName, type BucketRunOutput, type TimerRequest } from '../../../shared/domain/timers/timer.js';
import { timerTransactItem } from '../../../shared/db/timers.js';
import { claimWake, claimWakes } from '../../../shared/db/timer-wakes.js';
import { batchWrite } from '../../../shared/db/batch-write.js';
import { timerKeys } from '../../../shared/db/keys.js';
import { wake } from '../../../stepfunctions/timer/tasks/wake.js';
import type { WakeHandler } from '../../../stepfunctions/timer/wake-handlers.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { scheduledWaits } from '../../support/timer-waits.js';

// A bucket's pass claims a page of wakes at once (shared/db/timer-wakes.ts claimWakes) and completes
// them in batches. These tests call the Wake task as the state machine does, and count round trips
// (never time): a page is claimed in one transaction, and exactly-once holds when two executions
// page one bucket together, or when an execution dies mid-page and its next attempt carries on.

const KIND = 'test-feature';
const occurredAt = new Date('2026-05-01T09:00:00Z');
const wakeAt = '2026-05-02T09:00:30Z';
const bucket = timerBucket(wakeAt, occurredAt);
const bucketRun = { bucket, wakeAt: bucket };
const request = (key: string): TimerRequest => ({ kind: KIND, key, wakeAt, token: 'v1' });
const keysOf = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Writes one wait per key into the bucket, as commands write them (timerTransactItem), in batches. */
const scheduleAll = async (deps: AppDeps, keys: string[]) =>
  batchWrite(deps, keys.map((key) => ({ PutRequest: { Item: timerTransactItem(deps.tableName, request(key), { occurredAt: occurredAt.toISOString() }).Put!.Item! } })), 4);

/** The DynamoDB calls made through `deps`, by command. */
const counting = (deps: AppDeps) => {
  const calls: string[] = [];
  const db = { send: (command: { constructor: { name: string } }) => (calls.push(command.constructor.name), deps.db.send(command as never)) } as unknown as AppDeps['db'];
  const count = (name: string) => calls.filter((c) => c === name).length;
  return { deps: { ...deps, db }, calls, count };
};

/** A feature as real ones are: its state holds the token, and acting moves the token on, so a second call is stale. */
const featureKey = (key: string) => ({ PK: `TEST#feature#${key}`, SK: 'TEST' });
const idempotentFeature =
  (calls: Map<string, number>): WakeHandler =>
  async (deps, timer) => {
    calls.set(timer.key, (calls.get(timer.key) ?? 0) + 1);
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: featureKey(timer.key),
          UpdateExpression: 'SET #token = :next ADD acted :one',
          ConditionExpression: 'attribute_not_exists(#token) OR #token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':next': `${timer.token}-done`, ':token': timer.token, ':one': 1 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return {};
  };
const acted = async (deps: AppDeps, key: string) =>
  ((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: featureKey(key), ConsistentRead: true }))).Item?.acted as number | undefined) ?? 0;
const claimState = async (deps: AppDeps, key: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: timerKeys.wake(timerExecutionName(request(key))), ConsistentRead: true }))).Item?.state;
const pendingIn = async (deps: AppDeps, keys: string[]) => (await Promise.all(keys.map((key) => scheduledWaits(deps, KIND, key)))).flat().length;

describe('a bucket pass claims a page of wakes at once', () => {
  it('100 waits: claimed in one transaction, completed in 8 batch writes, no call per wait', async () => {
    const deps = await createTestDeps();
    const keys = keysOf(100, 'page');
    await scheduleAll(deps, keys);
    const woke: string[] = [];
    const metered = counting(deps);
    const out = (await wake(metered.deps, { input: bucketRun, execution: 'bucket-page' }, { [KIND]: async (_d, t) => (woke.push(t.key), {}) })) as BucketRunOutput;
    expect(out).toMatchObject({ done: true, woken: 100, held: 0 });
    expect(woke.sort()).toEqual([...keys].sort());
    // Two queries (the second finds the page was the last), one claim transaction, 100 claims made
    // final and 100 waits deleted 25 to a batch.
    expect(metered.count('QueryCommand')).toBe(2);
    expect(metered.count('TransactWriteCommand')).toBe(1);
    expect(metered.count('BatchWriteCommand')).toBe(8);
    expect(metered.calls).toHaveLength(11);
    expect(await pendingIn(deps, keys)).toBe(0);
    expect(await claimState(deps, 'page-7')).toBe('woken');
  });

  it('claims already taken: woken ones only have their waits dropped, held ones are left to their execution, in three claim round trips', async () => {
    const deps = await createTestDeps();
    const keys = keysOf(40, 'taken');
    await scheduleAll(deps, keys);
    for (const key of keys.slice(0, 3)) expect(await claimWake(deps, request(key), { execution: 'another-bucket-run', attempt: 'a1' })).toMatchObject({ status: 'claimed' });
    // Two already woke (a copy carried them): their claims are final.
    const first = await wake(deps, { input: { ...bucketRun, only: (await scheduledWaits(deps, KIND, 'taken-3'))[0]!.SK }, execution: 'catch-up-3' }, { [KIND]: async () => ({}) });
    const second = await wake(deps, { input: { ...bucketRun, only: (await scheduledWaits(deps, KIND, 'taken-4'))[0]!.SK }, execution: 'catch-up-4' }, { [KIND]: async () => ({}) });
    expect([first, second]).toMatchObject([{ woken: 1 }, { woken: 1 }]);
    await scheduleAll(deps, ['taken-3', 'taken-4']);

    const calls = new Map<string, number>();
    const claims = counting(deps);
    const out = (await wake(claims.deps, { input: bucketRun, execution: 'bucket-taken' }, { [KIND]: idempotentFeature(calls) })) as BucketRunOutput;
    expect(out).toMatchObject({ done: true, woken: 35, held: 3 });
    // A cancelled transaction (5 claims taken), one read of the 5, the other 35 claimed in one more.
    expect(claims.count('TransactWriteCommand')).toBe(2);
    expect(claims.count('BatchGetCommand')).toBe(1);
    expect(claims.count('PutCommand') + claims.count('GetCommand')).toBe(0);
    expect([...calls.keys()].sort()).toEqual(keys.slice(5).sort());
    expect(await pendingIn(deps, keys.slice(0, 3))).toBe(3);
    expect(await pendingIn(deps, keys.slice(3))).toBe(0);
  });

  it('two executions claiming the same wakes at once: each wake is claimed by exactly one', async () => {
    const deps = await createTestDeps();
    const requests = keysOf(100, 'contested').map(request);
    const [a, b] = await Promise.all([
      claimWakes(deps, requests, { execution: 'bucket-a', attempt: 'a1' }),
      claimWakes(deps, requests, { execution: 'bucket-b', attempt: 'b1' }),
    ]);
    for (const r of requests) {
      const name = timerExecutionName(r);
      const statuses = [a.get(name)?.status, b.get(name)?.status].sort();
      expect(statuses).toEqual(['claimed', 'held']);
    }
  });

  it('two executions paging one bucket together wake each of 150 waits once', async () => {
    const deps = await createTestDeps();
    const keys = keysOf(150, 'race');
    await scheduleAll(deps, keys);
    const calls = new Map<string, number>();
    const feature = idempotentFeature(calls);
    // A handler that yields, so that the two passes interleave.
    const slow: WakeHandler = async (d, t) => (await new Promise((resolve) => setTimeout(resolve, Math.random() * 5)), feature(d, t));
    const outs = (await Promise.all([
      wake(deps, { input: bucketRun, execution: 'bucket-race' }, { [KIND]: slow }),
      wake(deps, { input: bucketRun, execution: 'bucket-race-rerun' }, { [KIND]: slow }),
    ])) as BucketRunOutput[];
    expect(outs[0]!.woken + outs[1]!.woken).toBe(150);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(150);
    expect((await Promise.all(keys.map((key) => acted(deps, key)))).every((n) => n === 1)).toBe(true);
    expect(await pendingIn(deps, keys)).toBe(0);
  });

  it('an execution that dies mid-page (handlers ran, completions unwritten) is carried on by its next attempt: every wake acts once', async () => {
    const deps = await createTestDeps();
    const keys = keysOf(60, 'crash');
    await scheduleAll(deps, keys);
    const calls = new Map<string, number>();
    const handlers = { [KIND]: idempotentFeature(calls) };
    // The first attempt's completion writes never land (the Lambda died after its handlers ran).
    const dying = { ...deps, db: { send: (c: { constructor: { name: string } }) => (c.constructor.name === 'BatchWriteCommand' ? Promise.reject(new Error('Lambda timed out')) : deps.db.send(c as never)) } as unknown as AppDeps['db'] };
    await expect(wake(dying, { input: bucketRun, execution: 'bucket-crash' }, handlers)).rejects.toThrow('Lambda timed out');
    expect(calls.size).toBe(60);

    // Meanwhile another execution pages the bucket: the claims are the dead attempt's execution's, left to it.
    const other = (await wake(deps, { input: bucketRun, execution: 'bucket-crash-catch-up' }, handlers)) as BucketRunOutput;
    expect(other).toMatchObject({ woken: 0, held: 60 });

    // The Retry policy runs the task again: a new attempt of the same execution takes the claims over.
    const retried = (await wake(deps, { input: bucketRun, execution: 'bucket-crash' }, handlers)) as BucketRunOutput;
    expect(retried).toMatchObject({ done: true, woken: 60, held: 0 });
    // Each handler ran again (its end was never recorded) and found its token moved on: it acted once.
    expect([...calls.values()].every((n) => n === 2)).toBe(true);
    expect((await Promise.all(keys.map((key) => acted(deps, key)))).every((n) => n === 1)).toBe(true);
    expect(await pendingIn(deps, keys)).toBe(0);
    expect(await claimState(deps, 'crash-0')).toBe('woken');
  });
});
