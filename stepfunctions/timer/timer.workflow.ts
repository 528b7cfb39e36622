import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { taskAccess } from '../../infra/config/access.js';
import { AppFunction } from '../../infra/constructs/app-function.js';
import { TIMER_WORKFLOW, timerStateMachineName } from '../../infra/constructs/timer-arn.js';
import { WorkflowStateMachine } from '../../infra/constructs/workflow-state-machine.js';
import type { WorkflowDeps, WorkflowFactory } from '../workflows.js';
import { NON_RETRYABLE_WAKE_ERRORS, wake } from './tasks/wake.js';

/** State names: the local runner maps the task by its state name. */
export const TIMER_STATES = { wait: 'TimerWaitUntilWakeAt', wake: 'TimerWake', failed: 'TimerWakeFailed' } as const;

/** The Wake task's retry policy: 6 attempts over about a minute, jittered. */
export const WAKE_RETRY = { interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5 } as const;

/**
 * The one timer every feature that waits uses. Input: a TimerRequest `{ kind, key, wakeAt, token }`.
 *
 *     TimerWaitUntilWakeAt (TimestampPath $.wakeAt) → TimerWake (Lambda: dispatch on kind) → end
 *
 * Two state transitions per wake. A next wake is a new execution started by the Wake task (named
 * after its new token), not a loop back to the Wait: a Choice would make it three, and each
 * execution stays short-lived in the history. Wake retries transient errors with backoff; an invalid
 * request or unknown kind is not retried; a wake that still fails ends in TimerWakeFailed (alarmed).
 */
export class TimerWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly wakeFn: AppFunction;

  constructor(scope: Construct, id: string, deps: WorkflowDeps) {
    super(scope, id);
    this.wakeFn = new AppFunction(this, 'WakeFunction', {
      entry: 'stepfunctions/timer/tasks/wake.handler.ts',
      stage: deps.stage,
      serviceName: 'keiro-timer-wake',
      description: 'Keiro timer: wake a feature at its time (stepfunctions/timer/wake-handlers.ts)',
      timeout: Duration.seconds(60),
    });
    this.wakeFn.bindAccess(taskAccess('timer-wake'), deps);

    const wait = new sfn.Wait(this, TIMER_STATES.wait, { time: sfn.WaitTime.timestampPath('$.wakeAt') });
    const wakeTask = new tasks.LambdaInvoke(this, TIMER_STATES.wake, {
      lambdaFunction: this.wakeFn.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    wakeTask.addRetry({ errors: [...NON_RETRYABLE_WAKE_ERRORS], maxAttempts: 0 });
    wakeTask.addRetry({ errors: [sfn.Errors.ALL], ...WAKE_RETRY, jitterStrategy: sfn.JitterType.FULL });
    wakeTask.addCatch(
      new sfn.Fail(this, TIMER_STATES.failed, { error: 'TimerWakeFailed', cause: 'The wake handler failed after its retries (see the Wake task in the execution history)' }),
      { errors: [sfn.Errors.ALL] },
    );

    this.stateMachine = new WorkflowStateMachine(this, 'Timer', {
      workflow: TIMER_WORKFLOW,
      stage: deps.stage,
      stateMachineName: timerStateMachineName(deps.stage),
      comment: 'Keiro shared timer: wait until wakeAt, then wake the kind\'s handler (stale tokens end quietly)',
      definition: wait.next(wakeTask),
    }).stateMachine;
    const wakeLogicalId = Stack.of(this).resolve((this.wakeFn.fn.node.defaultChild as CfnFunction).logicalId) as string;
    Validations.of(this.stateMachine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${wakeLogicalId}.Arn>:*]`,
      reason: 'CDK grants lambda:InvokeFunction on the Wake function and its versions/aliases (`<arn>:*`); it is that one function only.',
    });
  }
}

export const timerWorkflow: WorkflowFactory = {
  workflow: TIMER_WORKFLOW,
  create: (scope, id, deps) => {
    const timer = new TimerWorkflow(scope, id, deps);
    return { stateMachine: timer.stateMachine, taskFunctions: new Map([['timer-wake', timer.wakeFn]]) };
  },
  localHandlers: (deps: AppDeps) => ({ [TIMER_STATES.wake]: (input: unknown) => wake(deps, input) }),
};
