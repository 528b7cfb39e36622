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
export const TIMER_STATES = {
  wait: 'TimerWaitUntilWakeAt',
  wake: 'TimerWake',
  failed: 'TimerWakeFailed',
} as const;

/** The Wake task's retry policy: 6 attempts over about a minute, jittered. */
export const WAKE_RETRY = { interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5 } as const;

/**
 * The one timer every feature that waits uses: one execution per time bucket that has waits.
 * Input: a bucket run `{ bucket, wakeAt, only?, pass? }` (shared/domain/timers/timer.ts BucketRun).
 *
 *     TimerWaitUntilWakeAt (TimestampPath $.wakeAt) → TimerWake (Lambda: page the bucket, wake each due wait; end)
 *
 * Two state transitions per bucket, however many waits it holds (a Map state would cost at least
 * one per wait). A pass that spends its time budget with pages left starts the bucket's next pass
 * as an execution of its own (`…-pass2`), two transitions more, where a Choice looping back to the
 * Wait cost two transitions on every bucket (the Choice, and a Succeed to end on).
 * Wake retries transient errors with backoff (what woke is gone, so a retry wakes only
 * the rest); an invalid request or unknown kind is not retried; a pass that still fails ends in
 * TimerWakeFailed (alarmed), its unwoken waits kept for a redrive.
 * An execution started before buckets has a timer request `{ kind, key, wakeAt, token }` as input:
 * the same states wake that one timer.
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
      // A bucket's pass pages for up to BUCKET_RUN_BUDGET_MS, then finishes the wakes it started.
      timeout: Duration.minutes(5),
    });
    this.wakeFn.bindAccess(taskAccess('timer-wake'), deps);

    const wait = new sfn.Wait(this, TIMER_STATES.wait, { time: sfn.WaitTime.timestampPath('$.wakeAt') });
    const wakeTask = new tasks.LambdaInvoke(this, TIMER_STATES.wake, {
      lambdaFunction: this.wakeFn.fn,
      // The execution's name tells the task whose claims it may take over (shared/db/timer-wakes.ts claimWakes).
      payload: sfn.TaskInput.fromObject({ input: sfn.JsonPath.entirePayload, execution: sfn.JsonPath.executionName }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // Longer than the Lambda's own 5 minutes: a retry never overlaps the attempt it replaces.
      taskTimeout: sfn.Timeout.duration(Duration.minutes(6)),
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
      comment: 'Keiro shared timer: one execution per time bucket; wait until it opens, then wake its due waits (stale tokens end quietly)',
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
