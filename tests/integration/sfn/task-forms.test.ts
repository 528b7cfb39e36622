import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalSfnRunner, readTemplate, type LocalSfnRunnerOptions } from '../../../infra/local/sfn/index.js';
import { synthFixture, type SynthesizedFixture } from '../../fixtures/workflows/fixture-stack.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { byLogicalId, fixtureHandlers } from './fixture-handlers.js';

// Both forms CDK's LambdaInvoke synthesizes, each served by handlers keyed by function or state name.
const forms = [
  { form: 'function', payloadResponseOnly: true },
  { form: 'lambda:invoke', payloadResponseOnly: false },
] as const;

let store: Pick<LocalSfnRunnerOptions, 'db' | 'tableName'>;
beforeAll(async () => {
  const { db, tableName } = await createTestDeps();
  store = { db, tableName };
});

describe.each(forms)('LambdaInvoke synthesized as the $form form', ({ form, payloadResponseOnly }) => {
  let fixture: SynthesizedFixture;
  beforeAll(() => {
    fixture = synthFixture({ workflow: `fixture-${form}`, payloadResponseOnly });
  });
  const runnerWith = (handlers: LocalSfnRunnerOptions['handlers']) =>
    createLocalSfnRunner({ template: fixture.template, handlers, ...store, timeScale: 864_000, retryIntervalMs: 0 });

  it('binds each task to its Lambda logical id', () => {
    const runner = runnerWith(byLogicalId(fixtureHandlers().handlers, fixture.logicalIds));
    const [machine] = runner.stateMachines();
    expect(machine?.problems).toEqual([]);
    expect(machine?.tasks).toEqual(
      expect.arrayContaining([{ state: 'Check', form, functionLogicalId: fixture.logicalIds.check, handlerKey: fixture.logicalIds.check }]),
    );
  });

  it('runs with handlers keyed by logical id: retry then catch', async () => {
    const { handlers, calls } = fixtureHandlers({ flakyFailures: 1 });
    const runner = runnerWith(byLogicalId(handlers, fixture.logicalIds));
    const flaky = await runner.startWorkflow(`fixture-${form}`, { route: 'flaky' });
    await expect(flaky.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { check: { value: { route: 'flaky' } }, flaky: { value: 'flaky ok' } } });
    const fragile = await runner.startWorkflow(`fixture-${form}`, { route: 'fragile' });
    await expect(fragile.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { error: { Error: 'Boom' } } });
    expect(calls).toEqual({ check: 2, flaky: 2, fragile: 1 });
  });

  it('runs with handlers keyed by state name', async () => {
    const runner = runnerWith(fixtureHandlers().handlers);
    const exec = await runner.startExecution(`fixture-${form}`, { route: 'done' });
    await expect(exec.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { check: { value: { route: 'done' } } } });
  });

  it('refuses to start while a task has no handler, and says which', async () => {
    const { CallFlaky: _flaky, ...handlers } = fixtureHandlers().handlers;
    const runner = runnerWith(handlers);
    expect(runner.stateMachines()[0]?.problems).toEqual([
      `state "CallFlaky": no local handler: add handlers["CallFlaky"] or handlers["${fixture.logicalIds.flaky}"]`,
    ]);
    await expect(runner.startExecution(`fixture-${form}`, {})).rejects.toThrow(/cannot run locally/);
  });
});

describe('the synthesized definition', () => {
  it('resolves to pure ASL whose Lambda references are synthetic local ARNs', () => {
    const fixture = synthFixture({ workflow: 'fixture', payloadResponseOnly: false });
    const [machine] = readTemplate(fixture.template).stateMachines;
    expect(JSON.stringify(machine?.definition)).not.toMatch(/Fn::|"Ref"/);
    expect(machine?.definition.States.Check).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:local:000000000000:function:${fixture.logicalIds.check}`, 'Payload.$': '$' },
    });
  });
});
