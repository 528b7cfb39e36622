import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalSfnRunner, type CfnTemplate, type LocalSfnRunnerOptions } from '../../../infra/local/sfn/index.js';
import { localLambdaArn } from '../../../infra/local/sfn/intrinsics.js';
import { createTestDeps } from '../../support/local-cloud.js';

// A Task whose first attempt outlives its TimeoutSeconds: Step Functions times it out and retries. In AWS
// the attempt's Lambda has stopped by then (Keiro's task timeouts outlast their Lambdas'), so the retry
// never runs beside it; the local runner, which cannot stop a promise, must not run them together either.

/** One Lambda task, 1 s timeout, retried once on States.Timeout (ASL as the runner reads it from a template). */
const template: CfnTemplate = {
  Resources: {
    SlowFn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Slow: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        Tags: [{ Key: 'keiro:workflow', Value: 'slow' }],
        Definition: {
          StartAt: 'CallSlow',
          States: {
            CallSlow: { Type: 'Task', Resource: localLambdaArn('SlowFn'), TimeoutSeconds: 1, Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1, IntervalSeconds: 1 }], End: true },
          },
        },
      },
    },
  },
};

let store: Pick<LocalSfnRunnerOptions, 'db' | 'tableName'>;
beforeAll(async () => {
  const { db, tableName } = await createTestDeps();
  store = { db, tableName };
});

describe('a task attempt that outlives its timeout', () => {
  it('is not run beside its retry: the retry waits for it to end, its late result is not used, and both are logged', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    let calls = 0;
    let running = 0;
    let mostAtOnce = 0;
    const handler = async () => {
      const attempt = ++calls;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      // The first attempt hangs until told; a retry running beside it lets it go, so the test never hangs.
      if (attempt === 1) await firstMayEnd;
      else releaseFirst();
      running -= 1;
      return { attempt };
    };
    const warnings: string[] = [];
    const runner = createLocalSfnRunner({
      template,
      handlers: { CallSlow: handler },
      ...store,
      retryIntervalMs: 0,
      onWarning: (message) => {
        warnings.push(message);
        // The retry is waiting: now the timed-out attempt may end.
        if (message.includes('waits')) releaseFirst();
      },
    });

    const execution = await runner.startExecution('slow', {});

    expect(await execution.result).toEqual({ status: 'SUCCEEDED', output: { attempt: 2 } });
    expect(calls).toBe(2);
    expect(mostAtOnce).toBe(1);
    expect(warnings).toEqual([
      'CallSlow: an earlier attempt is still running after its 1 s timeout; this retry waits for it to end (in AWS its Lambda has stopped by now)',
      'CallSlow: an attempt ended after its 1 s timeout; its result is not used (Step Functions had moved on)',
    ]);
  });

  it('a retry waiting for a hung attempt ends with the execution, and never calls the handler, even once the attempt ends', async () => {
    let releaseHung: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (releaseHung = resolve));
    let calls = 0;
    const runner = createLocalSfnRunner({
      template,
      handlers: { CallSlow: async () => (++calls, await hung, { attempt: calls }) },
      ...store,
      retryIntervalMs: 0,
      onWarning: (message) => {
        if (message.includes('waits')) void execution.abort();
      },
    });
    const execution = await runner.startExecution('slow', {});
    expect(await execution.result).toEqual({ status: 'ABORTED' });
    releaseHung();
    await hung;
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
  });

  it('an attempt that ends within its timeout is not waited for, and nothing is logged', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const runner = createLocalSfnRunner({ template, handlers: { CallSlow: async () => ({ attempt: ++calls }) }, ...store, onWarning: (message) => void warnings.push(message) });
    const execution = await runner.startExecution('slow', {});
    expect(await execution.result).toEqual({ status: 'SUCCEEDED', output: { attempt: 1 } });
    expect(warnings).toEqual([]);
  });
});
