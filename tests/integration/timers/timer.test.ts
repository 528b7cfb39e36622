import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { TimerRequest } from '../../../shared/domain/timers/timer.js';
import { scheduleTimer, timerTransactItem } from '../../../shared/db/timers.js';
import { transactWrite } from '../../../shared/db/transact.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { startTimerConsumer } from '../../../functions/events/start-timer.js';
import { TIMER_STATES, timerWorkflow } from '../../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../../stepfunctions/timer/tasks/wake.js';
import type { WakeHandler } from '../../../stepfunctions/timer/wake-handlers.js';
import { createLocalSfnRunner, type CfnTemplate, type LocalExecution, type LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../../infra/local/state-machines.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

// The shared timer, end to end on the local cloud: a command's transaction → stream → bus →
// start-timer → the timer ASL that CDK synthesizes → the kind's wake handler.

const DAY = 86_400_000;
/** Simulated time: a day passes in 1/4 s of wall-clock time; the runner and the handlers share this clock. */
const SCALE = 345_600;
const simulatedClock = () => {
  const base = Date.parse('2026-05-01T09:00:00Z');
  const t0 = Date.now();
  return () => new Date(base + (Date.now() - t0) * SCALE);
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

const start = async (options: { timeScale?: number; clock?: () => Date; deps?: AppDeps } = {}): Promise<Harness> => {
  const clock = options.clock ?? simulatedClock();
  const deps = options.deps ?? (await createTestDeps({ clock }));
  const h = { failures: 0, started: [] as LocalExecution[] } as Harness;
  const handlers = { 'test-reminder': reminderHandler(h) };
  const runner = createLocalSfnRunner({
    template,
    handlers: { [TIMER_STATES.wake]: (input) => wake(deps, input, handlers) },
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
const commandWithTimer = async (deps: AppDeps, timer: TimerRequest, stateToken = timer.token) =>
  transactWrite(deps, [reminderState(deps, timer.key, stateToken), timerTransactItem(deps.tableName, timer, { occurredAt: deps.clock().toISOString() })]);

const finished = async (runner: LocalSfnRunner, count = 1) =>
  waitFor(async () => {
    const done = await runner.listExecutions('SUCCEEDED');
    return done.length >= count && done;
  }, `${count} timer execution(s) to succeed`, 20_000);

describe('the shared timer', () => {
  it('fires once at its time, in two state transitions (Wait, Wake)', async () => {
    const { deps, runner, started } = await start();
    const timer = { kind: 'test-reminder', key: 'once', wakeAt: inADay(deps), token: 'v1' };
    await commandWithTimer(deps, timer);
    const [execution] = await finished(runner);
    const state = await readReminder(deps, 'once');
    expect(state?.fired).toBe(1);
    expect(Date.parse(state!.firedAt![0]!)).toBeGreaterThanOrEqual(Date.parse(timer.wakeAt));
    expect(execution).toMatchObject({ status: 'SUCCEEDED', input: { kind: 'test-reminder', key: 'once', token: 'v1' } });
    expect(started.map((e) => e.visitedStates)).toEqual([[TIMER_STATES.wait, TIMER_STATES.wake]]);
    expect(await runner.listExecutions()).toHaveLength(1);
  });

  it('a stale token ends quietly: the wake succeeds and the feature does nothing', async () => {
    const { deps, runner } = await start();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'moved-on', wakeAt: inADay(deps), token: 'v1' }, 'v2');
    const [execution] = await finished(runner);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { kind: 'test-reminder', key: 'moved-on', token: 'v1' } });
    expect(await readReminder(deps, 'moved-on')).toMatchObject({ token: 'v2', fired: 0, stale: 1 });
  });

  it('a duplicate start is a no-op: two transactions and a direct schedule of the same timer make one execution and one wake', async () => {
    const { deps, runner, events } = await start();
    const timer = { kind: 'test-reminder', key: 'dup', wakeAt: inADay(deps), token: 'v1' };
    await commandWithTimer(deps, timer);
    await transactWrite(deps, [timerTransactItem(deps.tableName, timer, { occurredAt: deps.clock().toISOString() })]);
    await waitFor(() => events.seen.filter((e) => e['detail-type'] === 'timer.scheduled').length === 2, 'both timer.scheduled events');
    await finished(runner);
    expect((await scheduleTimer(deps, timer)).outcome).toBe('already-started');
    expect(await runner.listExecutions()).toHaveLength(1);
    expect((await readReminder(deps, 'dup'))?.fired).toBe(1);
  });

  it('a next wake is a new execution (new token), each with two transitions', async () => {
    const { deps, runner, started } = await start();
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'repeat', wakeAt: inADay(deps), token: 'v1' });
    const done = await finished(runner, 2);
    expect(done.map((e) => (e.input as TimerRequest).token).sort()).toEqual(['v1', 'v1-2']);
    expect(await readReminder(deps, 'repeat')).toMatchObject({ fired: 2, token: 'v1-2' });
    expect(started.map((e) => e.visitedStates)).toEqual([
      [TIMER_STATES.wait, TIMER_STATES.wake],
      [TIMER_STATES.wait, TIMER_STATES.wake],
    ]);
  });

  it('a restart re-creates a waiting timer from DynamoDB, and it fires once', async () => {
    const clock = simulatedClock();
    const deps = await createTestDeps({ clock });
    // Slow: the wait outlasts this runner.
    const before = await start({ deps, clock, timeScale: 1 });
    await commandWithTimer(deps, { kind: 'test-reminder', key: 'restart', wakeAt: new Date(clock().getTime() + 5 * DAY).toISOString(), token: 'v1' });
    await waitFor(async () => (await before.runner.listExecutions('RUNNING')).length === 1, 'the timer to be waiting');
    await before.events.stop();
    await before.runner.stop();
    harnesses.splice(harnesses.indexOf(before), 1);

    const after = await start({ deps, clock });
    const { resumed } = await after.runner.recover();
    expect(resumed).toHaveLength(1);
    await expect(resumed[0]!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(await readReminder(deps, 'restart')).toMatchObject({ fired: 1 });
  });

  it('a failing wake is retried, then the execution fails in TimerWakeFailed (never dropped silently)', async () => {
    const h = await start();
    await h.deps.db.send(new PutCommand({ TableName: h.deps.tableName, Item: { ...reminderKey('broken'), token: 'explode', fired: 0 } }));
    const exec = await h.runner.startWorkflow('timer', { kind: 'test-reminder', key: 'broken', wakeAt: inADay(h.deps), token: 'v1' }, { executionId: 'broken' });
    await expect(exec.result).resolves.toMatchObject({ status: 'FAILED', error: 'TimerWakeFailed' });
    expect(h.failures).toBe(6);
  });

  it('an unknown kind or a malformed request fails at once, without retries', async () => {
    const { deps, runner } = await start();
    const unknown = await runner.startWorkflow('timer', { kind: 'nobody-home', key: 'k', wakeAt: deps.clock().toISOString(), token: 't' }, {});
    await expect(unknown.result).resolves.toMatchObject({ status: 'FAILED', error: 'TimerWakeFailed' });
    expect(unknown.visitedStates).toEqual([TIMER_STATES.wait, TIMER_STATES.wake, TIMER_STATES.failed]);
    await expect(wake(deps, { kind: 'test-reminder', key: 'k', wakeAt: 'tomorrow', token: 't' }, {})).rejects.toThrow(/wakeAt/);
  });
});
