import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { traced } from './tracer.js';
import type { Env } from '../config/env.js';
import type { BucketRun, TimerRequest } from '../domain/timers/timer.js';

/** What a timer execution starts with: a bucket to wake, or (before buckets) one timer request. */
export type TimerExecutionInput = BucketRun | TimerRequest;

/**
 * Starts executions of the shared timer state machine under a given name. Starting a name that
 * exists is not an error: the bucket is already open (or has already woken).
 */
export interface TimerStarter {
  start: (executionName: string, input: TimerExecutionInput) => Promise<'started' | 'already-started'>;
}

/** An execution that StartExecution answers with a start this much before the call was already running (clocks agree to well within it). */
const ALREADY_RUNNING_SLACK_MS = 1000;

export const createSfnClient = (region: string): SFNClient => traced(new SFNClient({ region }));

/**
 * AWS: StartExecution on the timer state machine. Step Functions keeps a Standard execution's name
 * for 90 days: the same name with the same input while running returns the running execution, and
 * otherwise fails with ExecutionAlreadyExists; both mean "already started" (a running one answers
 * with its own, earlier, start date).
 */
export const sfnTimerStarter = (client: SFNClient, stateMachineArn: string): TimerStarter => ({
  start: async (executionName, input) => {
    const asked = Date.now();
    try {
      const res = await client.send(new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(input) }));
      return res.startDate && res.startDate.getTime() < asked - ALREADY_RUNNING_SLACK_MS ? 'already-started' : 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already-started';
      throw error;
    }
  },
});

/**
 * The `timers` port of a Lambda that starts timers (its FunctionAccess has `timers: true`, which sets
 * TIMER_STATE_MACHINE_ARN). Kept out of depsFromEnv so that only those functions reach StartExecution.
 */
export const timerPorts = (env: Env): { timers: TimerStarter } => {
  if (!env.TIMER_STATE_MACHINE_ARN) throw new Error('Invalid environment: TIMER_STATE_MACHINE_ARN is required by a function that starts timers');
  return { timers: sfnTimerStarter(createSfnClient(env.AWS_REGION), env.TIMER_STATE_MACHINE_ARN) };
};

/** Starts a shadow run's paged job (stepfunctions/shadow): one execution per run, named after it. */
export interface ShadowRunStarter {
  start: (executionName: string, input: { runId: string }) => Promise<void>;
}

/** AWS: StartExecution on the shadow state machine (a name already started is the same run: not an error). */
export const sfnShadowRunStarter = (client: SFNClient, stateMachineArn: string): ShadowRunStarter => ({
  start: async (executionName, input) => {
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(input) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  },
});

/** The `shadowRuns` port of the function that starts shadow runs (FunctionAccess `shadowRuns: true` sets SHADOW_STATE_MACHINE_ARN). */
export const shadowPorts = (env: Env): { shadowRuns: ShadowRunStarter } => {
  if (!env.SHADOW_STATE_MACHINE_ARN) throw new Error('Invalid environment: SHADOW_STATE_MACHINE_ARN is required by a function that starts shadow runs');
  return { shadowRuns: sfnShadowRunStarter(createSfnClient(env.AWS_REGION), env.SHADOW_STATE_MACHINE_ARN) };
};
