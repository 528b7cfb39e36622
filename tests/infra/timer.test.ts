import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplate } from '../../infra/local/sfn/template.js';
import type { CfnTemplate } from '../../infra/local/sfn/index.js';
import { TIMER_STATES } from '../../stepfunctions/timer/timer.workflow.js';
import { NON_RETRYABLE_WAKE_ERRORS } from '../../stepfunctions/timer/tasks/wake.js';
import { synthKeiro, type SynthesizedKeiro } from './support/synth.js';

// The deployed timer: one execution per time bucket (stepfunctions/timer/README.md).

type State = Record<string, unknown> & { Type: string };
let keiro: SynthesizedKeiro;
let states: Record<string, State>;
let startAt: string;

beforeAll(() => {
  keiro = synthKeiro('prod');
  const timer = readTemplate(keiro.templates.workflows.toJSON() as CfnTemplate).stateMachines.find((sm) => sm.workflow === 'timer');
  const definition = timer!.definition as unknown as { StartAt: string; States: Record<string, State> };
  states = definition.States;
  startAt = definition.StartAt;
}, 120_000);

describe('the timer state machine', () => {
  it('waits until the bucket opens and ends with the task that wakes its waits: two transitions a pass, no loop', () => {
    expect(startAt).toBe(TIMER_STATES.wait);
    expect(states[TIMER_STATES.wait]).toMatchObject({ Type: 'Wait', TimestampPath: '$.wakeAt', Next: TIMER_STATES.wake });
    expect(states[TIMER_STATES.wake]).toMatchObject({ Type: 'Task', End: true });
    expect(states[TIMER_STATES.wake]).not.toHaveProperty('Next');
    expect(Object.keys(states).sort()).toEqual(Object.values(TIMER_STATES).sort());
  });

  // That the task outlasts its Lambda is tests/infra/task-timeouts.test.ts (every state machine's tasks).
  it('hands the Wake task the state and the execution\'s name (whose claims it may take over)', () => {
    const task = states[TIMER_STATES.wake] as { Parameters?: Record<string, unknown> };
    expect(task.Parameters).toEqual({ 'input.$': '$', 'execution.$': '$$.Execution.Name' });
  });

  it('retries transient errors with backoff, never the non-retryable ones, and fails into an alarmed Fail state', () => {
    const task = states[TIMER_STATES.wake] as unknown as { Retry: Array<Record<string, unknown>>; Catch: Array<Record<string, unknown>> };
    expect(task.Retry[0]).toMatchObject({ ErrorEquals: [...NON_RETRYABLE_WAKE_ERRORS], MaxAttempts: 0 });
    expect(task.Retry[1]).toMatchObject({ ErrorEquals: ['States.ALL'], MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(task.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: TIMER_STATES.failed })]);
    expect(states[TIMER_STATES.failed]).toMatchObject({ Type: 'Fail', Error: 'TimerWakeFailed' });
  });
});
