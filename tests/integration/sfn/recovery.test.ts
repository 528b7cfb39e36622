import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalSfnRunner, type LocalSfnRunnerOptions } from '../../../infra/local/sfn/index.js';
import { synthFixture, type SynthesizedFixture } from '../../fixtures/workflows/fixture-stack.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { fixtureHandlers } from './fixture-handlers.js';

// Executions are durable in DynamoDB: stop() leaves them RUNNING and recover() restarts them.
let fixture: SynthesizedFixture;
beforeAll(() => {
  fixture = synthFixture({ workflow: 'fixture', payloadResponseOnly: false });
});

/** Each test gets its own table, so recover() sees only that test's executions. */
const freshStore = async (): Promise<Pick<LocalSfnRunnerOptions, 'db' | 'tableName'>> => {
  const { db, tableName } = await createTestDeps();
  return { db, tableName };
};

describe('durable executions', () => {
  it('recovery: an execution stopped mid-wait is restarted from its input by a new runner and completes', async () => {
    const store = await freshStore();
    const first = fixtureHandlers();
    // At real speed the 1-day wait would outlast the test.
    const before = createLocalSfnRunner({ template: fixture.template, handlers: first.handlers, ...store, timeScale: 1 });
    const exec = await before.startExecution('fixture', { route: 'done' }, { executionId: 'enrollment-42' });
    await vi.waitFor(() => expect(exec.visitedStates).toContain('WaitADay'), { timeout: 10_000 });
    await before.stop();
    await expect(exec.result).resolves.toEqual({ status: 'STOPPED' });
    expect(await before.describeExecution('enrollment-42')).toMatchObject({ status: 'RUNNING' });

    const second = fixtureHandlers();
    const after = createLocalSfnRunner({ template: fixture.template, handlers: second.handlers, ...store, timeScale: 864_000 });
    const { resumed, skipped } = await after.recover();
    expect(resumed.map((e) => e.executionId)).toEqual(['enrollment-42']);
    expect(skipped).toEqual([]);
    await expect(resumed[0]?.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { route: 'done' } });
    expect(resumed[0]?.visitedStates).toEqual(['Start', 'HowToWait', 'WaitADay', 'Check', 'Route', 'Done']);
    expect(await after.describeExecution('enrollment-42')).toMatchObject({ status: 'SUCCEEDED', restarts: 1, input: { route: 'done' } });
    expect([first.calls.check, second.calls.check]).toEqual([0, 1]);
  });

  it('abort: an aborted execution is recorded ABORTED and not recovered', async () => {
    const store = await freshStore();
    const runner = createLocalSfnRunner({ template: fixture.template, handlers: fixtureHandlers().handlers, ...store });
    const exec = await runner.startExecution('fixture', { route: 'done' });
    await expect(exec.abort()).resolves.toEqual({ status: 'ABORTED' });
    expect(await runner.listExecutions('ABORTED')).toEqual([expect.objectContaining({ executionId: exec.executionId })]);
    expect((await runner.recover()).resumed).toEqual([]);
  });

  it('start is idempotent on the execution id', async () => {
    const store = await freshStore();
    const { handlers, calls } = fixtureHandlers();
    const runner = createLocalSfnRunner({ template: fixture.template, handlers, ...store, timeScale: 864_000 });
    const exec = await runner.startExecution('fixture', { route: 'done' }, { executionId: 'event-1' });
    const again = await runner.startExecution('fixture', { route: 'done' }, { executionId: 'event-1' });
    expect(again).toBe(exec);
    await exec.result;
    const late = await runner.startWorkflow('fixture', { route: 'done' }, { executionId: 'event-1' });
    await expect(late.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(calls.check).toBe(1);
    expect(await runner.listExecutions()).toHaveLength(1);
  });

  it('recover leaves alone the executions of state machines it does not know', async () => {
    const store = await freshStore();
    const before = createLocalSfnRunner({ template: fixture.template, handlers: fixtureHandlers().handlers, ...store });
    await before.startExecution('fixture', { route: 'done' });
    await before.stop();
    await expect(before.startExecution('fixture', {})).rejects.toThrow(/stopped/);

    const other = synthFixture({ workflow: 'other', payloadResponseOnly: false });
    const after = createLocalSfnRunner({ template: other.template, handlers: fixtureHandlers().handlers, ...store });
    const { resumed, skipped } = await after.recover();
    expect(resumed).toEqual([]);
    expect(skipped).toEqual([expect.objectContaining({ stateMachine: 'fixture', status: 'RUNNING' })]);
  });
});
