import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { TimerRequest } from '../../../shared/domain/timers/timer.js';
import { bucketExecutionName, timerBucket } from '../../../shared/domain/timers/timer.js';
import { scheduleTimer, timerTransactItem } from '../../../shared/db/timers.js';
import { claimWake } from '../../../shared/db/timer-wakes.js';
import { transactWrite } from '../../../shared/db/transact.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { startTimerConsumer } from '../../../functions/events/start-timer.js';
import { TIMER_STATES, timerWorkflow } from '../../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../../stepfunctions/timer/tasks/wake.js';
import type { WakeHandler } from '../../../stepfunctions/timer/wake-handlers.js';
import { createLocalSfnRunner, type CfnTemplate, type ExecutionRecord, type LocalExecution, type LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../../infra/local/state-machines.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';
import { scheduledWaits } from '../../support/timer-waits.js';

// The shared timer, end to end on the local cloud: a command's transaction (the wait, in its time
// bucket) → stream → bus → start-timer (opens the bucket's execution) → the timer ASL that CDK
// synthesizes → the bucket's pass → the kind's wake handler.

const DAY = 86_400_000;
/** Simulated time: a day passes in 1/4 s of wall-clock time; the runner and the handlers share this clock. */
const SCALE = 345_600;
const simulatedClock = (scale = SCALE) => {
  const base = Date.parse('2026-05-01T09:00:00Z');
  const t0 = Date.now();
  return () => new Date(base + (Date.now() - t0) * scale);
};

let template: CfnTemplate;
beforeAll(() => {
  template = synthWorkflowsTemplate([timerWorkflow]);
}, 120_000);

/** A feature that waits: its state item holds the token that must still hold at wake-up, and counts wakes that acted. */
const reminderKey = (key: string) => ({ PK: `TEST#reminder#${key}`, SK: 'TEST' });
const reminderState = (deps: AppDeps, key: string, token: string) => ({
  Put: { TableName: deps.tableName, Item: { ...reminderKey(key), token, fired: 0 } },
});
const readReminder = async (deps: AppDeps, key: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: reminderKey(key), ConsistentRead: true }))).Item as
    | { token: string; fired: number; firedAt?: string[]; stale?: number }
    | undefined;

interface Harness {
  deps: AppDeps;
  runner: LocalSfnRunner;
  events: LocalEvents;
  failures: number;
  /** Executions the timers port started, in order. */
  started: LocalExecution[];
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.events.stop();
    await h.runner.stop();
  }
});

/** The reminder feature's wake handler: act only if the token still holds; `next` from the state item. */
const reminderHandler =
  (h: { failures: number }): WakeHandler =>
  async (deps, timer) => {
    const state = await readReminder(deps, timer.key);
    if (state?.token === 'explode') {
      h.failures++;
      throw new Error('the feature cannot reach its data');
    }
    if (!state || state.token !== timer.token) {
      await deps.db.send(new UpdateCommand({ TableName: deps.tableName, Key: reminderKey(timer.key), UpdateExpression: 'ADD stale :one', ExpressionAttributeValues: { ':one': 1 } }));
      return {};
    }
    const now = deps.clock().toISOString();
    const nextToken = state.fired === 0 && timer.key.startsWith('repeat') ? `${timer.token}-2` : undefined;
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: reminderKey(timer.key),
        UpdateExpression: 'SET fired = fired + :one, firedAt = list_append(if_not_exists(firedAt, :empty), :at), #token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':one': 1, ':empty': [], ':at': [now], ':token': nextToken ?? state.token },
      }),
    );
    return nextToken ? { next: { wakeAt: new Date(deps.clock().getTime() + DAY).toISOString(), token: nextToken } } : {};
  };

const start = async (options: { timeScale?: number; clock?: () => Date; deps?: AppDeps; budgetMs?: number } = {}): Promise<Harness> => {
  const clock = options.clock ?? simulatedClock();
  const deps = options.deps ?? (await createTestDeps({ clock }));
  const h = { failures: 0, started: [] as LocalExecution[] } as Harness;
  const handlers = { 'test-reminder': reminderHandler(h) };
  const runner = createLocalSfnRunner({
    template,
    handlers: { [TIMER_STATES.wake]: (input) => wake(deps, input, handlers, options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }) },
    db: deps.db,
    tableName: deps.tableName,
    timeScale: options.timeScale ?? SCALE,
    clock,
    retryIntervalMs: 0,
  });
  deps.timers = localTimerStarter(runner, (e) => h.started.push(e));
  const events = startLocalEvents(deps, { subscriptions: subscriptions.filter((s) => s.id === 'start-timer'), consumers: [startTimerConsumer] });
  Object.assign(h, { deps, runner, events });
  harnesses.push(h);
  return h;
};

const inADay = (deps: AppDeps) => new Date(deps.clock().getTime() + DAY).toISOString();

/** A command that needs a wait: its state change and the timer in one transaction. */
const commandWithTimer = async (deps: AppDeps, timer: TimerRequest, stateToken = timer.token, occurredAt = deps.clock().toISOString()) =>
  transactWrite(deps, [reminderState(deps, timer.key, stateToken), timerTransactItem(deps.tableName, timer, { occurredAt })]);

const finished = async (runner: LocalSfnRunner, count = 1) =>
  waitFor(async () => {
    const done = await runner.listExecutions('SUCCEEDED');
    return done.length >= count && done;
  }, `${count} timer execution(s) to succeed`, 20_000);

/**
 * `count` waits due together in one bucket a day ahead, all written before any runner or stream reads
 * them (so none arrives after its bucket opened, which a catch-up would wake).
 */
const manyWaitsInOneBucket = async (count: number, prefix: string) => {
  const clock = simulatedClock();
  const deps = await createTestDeps({ clock });
  const occurredAt = clock();
  const wakeAt = new Date(occurredAt.getTime() + DAY).toISOString();
  const keys = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < keys.length; i += 25) {
    await Promise.all(keys.slice(i, i + 25).map((key) => commandWithTimer(deps, { kind: 'test-reminder', key, wakeAt, token: 'v1' }, 'v1', occurredAt.toISOString())));
  }
  return { clock, deps, keys, bucket: timerBucket(wakeAt, occurredAt) };
};

/** Every execution ended (a wake's handler runs before its execution ends): read outputs only then. */
const allRunsSucceeded = (runner: LocalSfnRunner) =>
  waitFor(async () => {
    const executions = await runner.listExecutions();
    return executions.every((e) => e.status === 'SUCCEEDED') && executions;
  }, 'every run to end', 60_000);

const woken = (executions: readonly ExecutionRecord[]) => executions.reduce((sum, e) => sum + ((e.output as { woken?: number } | undefined)?.woken ?? 0), 0);

/** One bucket's pass, as the state machine runs it when all goes well. */
const ONE_PASS = [TIMER_STATES.wait, TIMER_STATES.wake];

describe('the shared timer, carried by time buckets', () => {
  it('fires once at its time, from one execution named after its bucket, in two state transitions', async () => {
    const { deps, runner, started } = await start();
    const timer = { kind: 'test-reminder', key: 'once', wakeAt: inADay(deps), token: 'v1' };
    const occurredAt = deps.clock();
    await commandWithTimer(deps, timer, timer.token, occurredAt.toISOString());
    const [execution] = await finished(runner);
    const state = await readReminder(deps, 'once');
    expect(state?.fired).toBe(1);
    expect(Date.parse(state!.firedAt![0]!)).toBeGreaterThanOrEqual(Date.parse(timer.wakeAt));
    const bucket = timerBucket(timer.wakeAt, occurredAt);
    expect(execution).toMatchObject({ executionId: bucketExecutionName(bucket), status: 'SUCCEEDED', input: { bucket, wakeAt: bucket }, output: { done: true, woken: 1 } });
    expect(started.map((e) => e.visitedStates)).toEqual([ONE_PASS]);
    expect(await scheduledWaits(deps, 'test-reminder', 'once')).toEqual([]);
  });

  it('one execution wakes every wait of its bucket: 150 waits (two pages), two transitions, each fired once', async () => {
    const { clock, deps, keys, bucket } = await manyWaitsInOneBucket(150, 'many');
    const { runner, started } = await start({ deps, clock });
    const bucketRun = bucketExecutionName(bucket);
    const execution = await waitFor(async () => (await runner.listExecutions('SUCCEEDED')).find((e) => e.executionId === bucketRun), 'the bucket\'s execution', 150_000);
    expect(execution).toMatchObject({ output: { done: true } });
    expect(started.find((e) => e.executionId === bucketRun)?.visitedStates).toEqual(ONE_PASS);
    const fired = await waitFor(async () => {
      const counts = await Promise.all(keys.map(async (key) => (await readReminder(deps, key))?.fired));
      return counts.every((n) => n === 1) && counts;
    }, 'every wait fired', 60_000);
    expect(fired.every((n) => n === 1)).toBe(true);
    // On a busy machine the scaled day can pass while the stream still delivers the last few
    // scheduled events: those few are woken by their window's catch-up, never twice.
    expect(woken(await allRunsSucceeded(runner))).toBe(150);
  }, 180_000);

  it('a pass that runs out of time starts the bucket\'s next pass, an execution of its own: two transitions a pass, each wait fired once', async () => {
    // More than two pages, so that the first pass has pages left even if catch-ups (below) take a few.
    const { clock, deps, keys, bucket } = await manyWaitsInOneBucket(250, 'long');
    // No time budget: every pass pages once (100 waits) and hands the rest to the next.
    const { runner, started } = await start({ deps, clock, budgetMs: 0 });
    const firstPass = bucketExecutionName(bucket);
    const fired = await waitFor(async () => {
      const counts = await Promise.all(keys.map(async (key) => (await readReminder(deps, key))?.fired));
      return counts.every((n) => n === 1) && counts;
    }, 'every wait fired', 150_000);
    expect(fired.every((n) => n === 1)).toBe(true);
    // Every run done (the bucket's passes, and any catch-up with passes of its own).
    const succeeded = await allRunsSucceeded(runner);
    // The bucket's passes form a chain: each names the next it started, and the last started none.
    const passes: string[] = [];
    for (let name: string | undefined = firstPass; name; ) {
      const execution = succeeded.find((e) => e.executionId === name);
      expect(execution, name).toBeDefined();
      passes.push(name);
      expect(started.find((e) => e.executionId === name)?.visitedStates).toEqual(ONE_PASS);
      const next = (execution!.output as { nextPass?: { execution: string } }).nextPass;
      if (next) expect(succeeded.find((e) => e.executionId === next.execution)?.input).toMatchObject({ bucket, pass: passes.length + 1 });
      name = next?.execution;
    }
    expect(passes.length).toBeGreaterThanOrEqual(2);
    expect(passes[1]).toBe(`${firstPass}-pass2`);
    // On a busy machine some scheduled events reach start-timer after the bucket opened: their window's catch-up wakes those, never twice.
    expect(woken(succeeded)).toBe(250);
  }, 240_000);

  it('a stale token ends quietly: the wake succeeds and the feature does nothing', async () => {
    const { deps, runner } = await start();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'moved-on', wakeAt: inADay(deps), token: 'v1' }, 'v2');
    const [execution] = await finished(runner);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { done: true, woken: 1 } });
    expect(await readReminder(deps, 'moved-on')).toMatchObject({ token: 'v2', fired: 0, stale: 1 });
  });

  it('a duplicate is a no-op: two transactions and a direct schedule of the same timer make one execution and one wake', async () => {
    const { deps, runner, events } = await start();
    const timer = { kind: 'test-reminder', key: 'dup', wakeAt: new Date(deps.clock().getTime() + 20 * DAY).toISOString(), token: 'v1' };
    await commandWithTimer(deps, timer);
    await transactWrite(deps, [timerTransactItem(deps.tableName, timer, { occurredAt: deps.clock().toISOString() })]);
    expect((await scheduleTimer(deps, timer)).outcome).toBe('scheduled');
    expect((await scheduleTimer(deps, timer)).outcome).toBe('already-scheduled');
    await waitFor(() => events.seen.filter((e) => e['detail-type'] === 'timer.scheduled').length === 3, 'three timer.scheduled events');
    await finished(runner);
    expect(await runner.listExecutions()).toHaveLength(1);
    expect((await readReminder(deps, 'dup'))?.fired).toBe(1);
    // Every copy of the wait is gone: the two the wake claim had already woken were dropped.
    await waitFor(async () => (await scheduledWaits(deps, 'test-reminder', 'dup')).length === 0, 'the copies to be dropped');
  });

  it('a next wake is a new wait in its own bucket, woken by that bucket\'s execution', async () => {
    const { deps, runner, started } = await start();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'repeat', wakeAt: inADay(deps), token: 'v1' });
    const done = await finished(runner, 2);
    expect(new Set(done.map((e) => e.executionId)).size).toBe(2);
    expect(await readReminder(deps, 'repeat')).toMatchObject({ fired: 2, token: 'v1-2' });
    expect(started.map((e) => e.visitedStates)).toEqual([ONE_PASS, ONE_PASS]);
  });

  it('a wait written into a bucket that has already opened and run is woken within seconds, by the catch-up of its window', async () => {
    const { deps, runner, events } = await start();
    const past = new Date(deps.clock().getTime() - 2 * DAY).toISOString();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'first', wakeAt: past, token: 'v1' }, 'v1', past);
    await waitFor(async () => (await readReminder(deps, 'first'))?.fired === 1 && true, 'the first wait of the past bucket');
    // The same bucket, after its execution has paged it (a write whose event arrives late).
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'late', wakeAt: past, token: 'v1' }, 'v1', past);
    await waitFor(async () => (await readReminder(deps, 'late'))?.fired === 1 && true, 'the late wait');
    const bucket = timerBucket(past, new Date(past));
    const executions = (await runner.listExecutions()).map((e) => e.executionId).sort();
    expect(executions.filter((id) => id === bucketExecutionName(bucket))).toHaveLength(1);
    expect(executions.filter((id) => id.startsWith(`${bucketExecutionName(bucket)}-late-`))).toHaveLength(1);
    expect(events.seen.filter((e) => e['detail-type'] === 'timer.scheduled')).toHaveLength(2);
  });

  it('late waits of one bucket seen within one window share one catch-up, and each fires once', async () => {
    // Real time: a catch-up window is 5 s of the clock, so the late writes below fall in one or two.
    const { deps, runner } = await start({ timeScale: 1, clock: () => new Date() });
    const past = new Date(deps.clock().getTime() - 2 * DAY).toISOString();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'opener', wakeAt: past, token: 'v1' }, 'v1', past);
    await waitFor(async () => (await readReminder(deps, 'opener'))?.fired === 1 && true, 'the wait that opened the past bucket');
    const late = Array.from({ length: 6 }, (_, i) => `late-${i}`);
    await Promise.all(late.map((key) => commandWithTimer(deps, { kind: 'test-reminder', key, wakeAt: past, token: 'v1' }, 'v1', past)));
    await waitFor(async () => {
      const fired = await Promise.all(late.map(async (key) => (await readReminder(deps, key))?.fired));
      return fired.every((n) => n === 1);
    }, 'every late wait fired', 30_000);
    const bucket = bucketExecutionName(timerBucket(past, new Date(past)));
    const catchUps = (await allRunsSucceeded(runner)).filter((e) => e.executionId.startsWith(`${bucket}-late-`));
    expect(catchUps.length).toBeGreaterThanOrEqual(1);
    expect(catchUps.length).toBeLessThanOrEqual(2);
    expect(woken(catchUps)).toBe(late.length);
    for (const key of late) expect((await readReminder(deps, key))?.fired).toBe(1);
  }, 60_000);

  it('a wake claimed by an earlier attempt of the bucket\'s execution (it crashed mid-page) is taken over and fires once', async () => {
    const { deps, runner, started } = await start();
    const timer = { kind: 'test-reminder', key: 'crashed', wakeAt: inADay(deps), token: 'v1' };
    const occurredAt = deps.clock();
    const bucket = timerBucket(timer.wakeAt, occurredAt);
    expect(await claimWake(deps, timer, { execution: bucketExecutionName(bucket), attempt: 'the-attempt-that-crashed' })).toMatchObject({ status: 'claimed' });
    await commandWithTimer(deps, timer, timer.token, occurredAt.toISOString());
    const [execution] = await finished(runner);
    expect(execution).toMatchObject({ output: { done: true, woken: 1, held: 0 } });
    expect((await readReminder(deps, 'crashed'))?.fired).toBe(1);
    expect(started[0]!.visitedStates).toEqual(ONE_PASS);
  });

  it('a wake another execution is running is left to it: the bucket neither waits for it nor wakes it a second time', async () => {
    const { deps, runner } = await start();
    const timer = { kind: 'test-reminder', key: 'held', wakeAt: inADay(deps), token: 'v1' };
    expect(await claimWake(deps, timer, { execution: 'a-catch-up-still-running', attempt: 'a1' })).toMatchObject({ status: 'claimed' });
    await commandWithTimer(deps, timer);
    const [execution] = await finished(runner);
    expect(execution).toMatchObject({ output: { done: true, woken: 0, held: 1 } });
    expect((await readReminder(deps, 'held'))?.fired).toBe(0);
    expect(await scheduledWaits(deps, 'test-reminder', 'held')).toHaveLength(1);
  });

  it('a re-run of a bucket changes nothing: what woke is gone, and a wake claimed once does not run again', async () => {
    const { deps, runner } = await start();
    const timer = { kind: 'test-reminder', key: 'rerun', wakeAt: inADay(deps), token: 'v1' };
    await commandWithTimer(deps, timer);
    const [first] = await finished(runner);
    const again = await runner.startWorkflow('timer', first!.input, { executionId: 'rerun-of-the-bucket' });
    await expect(again.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { done: true, woken: 0 } });
    // A copy of the wait that survived (say, written again) is dropped without a second wake.
    await transactWrite(deps, [timerTransactItem(deps.tableName, timer, { occurredAt: deps.clock().toISOString() })]);
    const third = await runner.startWorkflow('timer', { ...(first!.input as object), wakeAt: timerBucket(timer.wakeAt, deps.clock()) }, { executionId: 'rerun-with-a-copy' });
    await expect(third.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { done: true, woken: 0 } });
    expect((await readReminder(deps, 'rerun'))?.fired).toBe(1);
  });

  it('a restart re-creates a waiting bucket from DynamoDB, and its wait fires once', async () => {
    const clock = simulatedClock();
    const deps = await createTestDeps({ clock });
    // Slow: the wait outlasts this runner.
    const before = await start({ deps, clock, timeScale: 1 });
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'restart', wakeAt: new Date(clock().getTime() + 5 * DAY).toISOString(), token: 'v1' });
    await waitFor(async () => (await before.runner.listExecutions('RUNNING')).length === 1, 'the bucket to be waiting');
    await before.events.stop();
    await before.runner.stop();
    harnesses.splice(harnesses.indexOf(before), 1);

    const after = await start({ deps, clock });
    const { resumed } = await after.runner.recover();
    expect(resumed).toHaveLength(1);
    await expect(resumed[0]!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(await readReminder(deps, 'restart')).toMatchObject({ fired: 1 });
  });

  it('a failing wake is retried, then the bucket fails in TimerWakeFailed (alarmed), its wait kept and the others woken', async () => {
    const h = await start();
    const wakeAt = inADay(h.deps);
    await h.deps.db.send(new PutCommand({ TableName: h.deps.tableName, Item: { ...reminderKey('broken'), token: 'explode', fired: 0 } }));
    await transactWrite(h.deps, [timerTransactItem(h.deps.tableName, { kind: 'test-reminder', key: 'broken', wakeAt, token: 'v1' }, { occurredAt: h.deps.clock().toISOString() })]);
    await commandWithTimer(h.deps, { kind: 'test-reminder', key: 'fine', wakeAt, token: 'v1' });
    const failed = await waitFor(async () => (await h.runner.listExecutions('FAILED'))[0], 'the bucket to fail');
    expect(failed).toMatchObject({ error: 'TimerWakeFailed' });
    expect(h.failures).toBe(6);
    expect((await readReminder(h.deps, 'fine'))?.fired).toBe(1);
    expect(await scheduledWaits(h.deps, 'test-reminder', 'broken')).toHaveLength(1);
  });

  it('an unknown kind or a malformed request fails at once, without retries', async () => {
    const { deps, runner } = await start();
    const unknown = await runner.startWorkflow('timer', { kind: 'nobody-home', key: 'k', wakeAt: deps.clock().toISOString(), token: 't' }, {});
    await expect(unknown.result).resolves.toMatchObject({ status: 'FAILED', error: 'TimerWakeFailed' });
    expect(unknown.visitedStates).toEqual([TIMER_STATES.wait, TIMER_STATES.wake, TIMER_STATES.failed]);
    await expect(wake(deps, { kind: 'test-reminder', key: 'k', wakeAt: 'tomorrow', token: 't' }, {})).rejects.toThrow(/wakeAt/);
  });

  it('an execution started before buckets (input: one timer request) still wakes its timer once', async () => {
    const { deps, runner } = await start();
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...reminderKey('legacy'), token: 'v1', fired: 0 } }));
    const request = { kind: 'test-reminder', key: 'legacy', wakeAt: inADay(deps), token: 'v1' };
    const exec = await runner.startWorkflow('timer', request, { executionId: 'legacy-timer' });
    await expect(exec.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { kind: 'test-reminder', key: 'legacy', token: 'v1', done: true } });
    expect(exec.visitedStates).toEqual(ONE_PASS);
    expect((await readReminder(deps, 'legacy'))?.fired).toBe(1);
  });
});
