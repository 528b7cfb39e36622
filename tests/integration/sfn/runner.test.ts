import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalSfnRunner, type LocalSfnRunnerOptions } from '../../../infra/local/sfn/index.js';
import { synthFixture, type SynthesizedFixture } from '../../fixtures/workflows/fixture-stack.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { fixtureHandlers } from './fixture-handlers.js';

// The fixture workflow (lambda:invoke form) on DynamoDB Local: wait, choice, retry, catch.
let fixture: SynthesizedFixture;
let store: Pick<LocalSfnRunnerOptions, 'db' | 'tableName'>;

beforeAll(async () => {
  fixture = synthFixture({ workflow: 'fixture', payloadResponseOnly: false });
  const { db, tableName } = await createTestDeps();
  store = { db, tableName };
});

/** Fast enough that the fixture's 1-day wait takes a tenth of a second. */
const FAST = 864_000;

const runnerWith = (handlers: LocalSfnRunnerOptions['handlers'], extra: Partial<LocalSfnRunnerOptions> = {}) =>
  createLocalSfnRunner({ template: fixture.template, handlers, ...store, timeScale: FAST, ...extra });

describe('local state-machine runner', () => {
  it('names the fixture state machine by its keiro:workflow tag', () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    expect(runner.stateMachineNames()).toEqual(['fixture']);
    expect(runner.stateMachines()[0]).toMatchObject({ logicalId: expect.stringMatching(/^FixtureStateMachine/), problems: [] });
  });

  it('wait: a 1-day Wait passes at timeScale 86400 and the execution goes on', async () => {
    const { handlers, calls } = fixtureHandlers();
    const runner = runnerWith(handlers, { timeScale: 86_400 });
    const exec = await runner.startExecution('fixture', { route: 'done' });
    await expect(exec.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(exec.visitedStates).toEqual(['Start', 'HowToWait', 'WaitADay', 'Check', 'Route', 'Done']);
    expect(calls.check).toBe(1);
  });

  it('wait: a TimestampPath wait is measured against the runner clock', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const runner = runnerWith(fixtureHandlers().handlers, { clock: () => now });
    const waitUntil = new Date(now.getTime() + 2 * 86_400_000).toISOString();
    const exec = await runner.startExecution('fixture', { route: 'done', waitUntil });
    await expect(exec.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { waitUntil } });
    expect(exec.visitedStates).toContain('WaitUntil');
  });

  it('choice: the default branch succeeds and records the output', async () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    const exec = await runner.startExecution('fixture', { route: 'done' });
    const output = { route: 'done', started: true, check: { value: { route: 'done' } } };
    await expect(exec.result).resolves.toEqual({ status: 'SUCCEEDED', output });
    expect(await runner.describeExecution(exec.executionId)).toMatchObject({ status: 'SUCCEEDED', stateMachine: 'fixture', output });
  });

  it('choice: the reject branch ends in the Fail state', async () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    const exec = await runner.startExecution('fixture', { route: 'reject' });
    await expect(exec.result).resolves.toEqual({ status: 'FAILED', error: 'Rejected', cause: 'the check said no' });
    expect(exec.visitedStates.at(-1)).toBe('Rejected');
    expect(await runner.describeExecution(exec.executionId)).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  });

  it('retry: a task failing twice then succeeding is retried per its Retry policy', async () => {
    const { handlers, calls } = fixtureHandlers({ flakyFailures: 2 });
    const runner = runnerWith(handlers);
    const exec = await runner.startExecution('fixture', { route: 'flaky' });
    await expect(exec.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { flaky: { value: 'flaky ok' } } });
    expect(calls.flaky).toBe(3);
  });

  it('retry: once MaxAttempts is spent, the error fails the execution', async () => {
    const { handlers, calls } = fixtureHandlers({ flakyFailures: 5 });
    const runner = runnerWith(handlers, { retryIntervalMs: 0 });
    const exec = await runner.startExecution('fixture', { route: 'flaky' });
    await expect(exec.result).resolves.toEqual({ status: 'FAILED', error: 'Transient', cause: 'not yet' });
    expect(calls.flaky).toBe(3);
  });

  it('catch: a task that always fails routes to the Catch state with the error', async () => {
    const { handlers, calls } = fixtureHandlers();
    const runner = runnerWith(handlers);
    const exec = await runner.startExecution('fixture', { route: 'fragile' });
    await expect(exec.result).resolves.toMatchObject({
      status: 'SUCCEEDED',
      output: { error: { Error: 'Boom', Cause: 'fragile always fails' }, compensation: 'compensated' },
    });
    expect(exec.visitedStates).toEqual(expect.arrayContaining(['CallFragile', 'Compensate', 'Done']));
    expect(calls.fragile).toBe(1);
  });

  it('lists executions by status from DynamoDB', async () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    const exec = await runner.startExecution('fixture', { route: 'reject' });
    await exec.result;
    const failed = await runner.listExecutions('FAILED');
    expect(failed.map((e) => e.executionId)).toContain(exec.executionId);
    expect((await runner.listExecutions()).length).toBeGreaterThan(failed.length);
    expect(await runner.listExecutions('RUNNING')).toEqual([]);
  });

  it('refuses an unknown state machine', async () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    await expect(runner.startExecution('nope', {})).rejects.toThrow(/unknown state machine "nope"/);
  });
});
