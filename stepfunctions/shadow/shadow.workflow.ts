import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { taskAccess } from '../../infra/config/access.js';
import { AppFunction } from '../../infra/constructs/app-function.js';
import { SHADOW_WORKFLOW, shadowStateMachineName } from '../../infra/constructs/shadow-arn.js';
import { WorkflowStateMachine } from '../../infra/constructs/workflow-state-machine.js';
import type { WorkflowDeps, WorkflowFactory } from '../workflows.js';
import { shadowTask } from './tasks/page.js';

/** State names: the local runner maps each task by its state name. */
export const SHADOW_STATES = {
  page: 'ShadowReplayPage',
  more: 'ShadowWindowReplayed',
  done: 'ShadowDone',
  markFailed: 'ShadowMarkFailed',
  failed: 'ShadowRunFailed',
} as const;

/** Both tasks run the page Lambda (5 min): each outlasts it, so a retry never overlaps the attempt it replaces. */
const PAGE_TASK_TIMEOUT = sfn.Timeout.duration(Duration.minutes(6));

/**
 * A shadow run as a paged job: input `{ runId }`.
 *
 *     ShadowReplayPage (Lambda: replay the next days from the saved cursor, save state) → ShadowWindowReplayed? ($.done)
 *        ─yes→ ShadowDone   └─no→ ShadowReplayPage
 *     a page that fails after its retries → ShadowMarkFailed (the run says failed) → ShadowRunFailed
 *
 * Each page is conditional on the page number it read, so a retry never replays a day twice.
 */
export class ShadowWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly pageFn: AppFunction;

  constructor(scope: Construct, id: string, deps: WorkflowDeps) {
    super(scope, id);
    this.pageFn = new AppFunction(this, 'PageFunction', {
      entry: 'stepfunctions/shadow/tasks/page.handler.ts',
      stage: deps.stage,
      serviceName: 'keiro-shadow-page',
      description: 'Keiro shadow runs: replay a page of the recorded past through a draft definition (writes only the run\'s items)',
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });
    this.pageFn.bindAccess(taskAccess('shadow-page'), deps);

    const page = new tasks.LambdaInvoke(this, SHADOW_STATES.page, {
      lambdaFunction: this.pageFn.fn,
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: PAGE_TASK_TIMEOUT,
    });
    page.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL });
    const markFailed = new tasks.LambdaInvoke(this, SHADOW_STATES.markFailed, {
      lambdaFunction: this.pageFn.fn,
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId'), failed: true }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: PAGE_TASK_TIMEOUT,
      resultPath: sfn.JsonPath.DISCARD,
    });
    markFailed.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 });
    page.addCatch(markFailed.next(new sfn.Fail(this, SHADOW_STATES.failed, { error: 'ShadowRunFailed', cause: 'A page failed after its retries (see the page task in the execution history)' })), { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });

    const more = new sfn.Choice(this, SHADOW_STATES.more).when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(this, SHADOW_STATES.done)).otherwise(page);

    this.stateMachine = new WorkflowStateMachine(this, 'Shadow', {
      workflow: SHADOW_WORKFLOW,
      stage: deps.stage,
      stateMachineName: shadowStateMachineName(deps.stage),
      timeout: Duration.hours(2),
      comment: 'Keiro shadow runs: replay a window of the recorded past, page by page from a saved cursor',
      definition: page.next(more),
    }).stateMachine;
    const logicalId = Stack.of(this).resolve((this.pageFn.fn.node.defaultChild as CfnFunction).logicalId) as string;
    Validations.of(this.stateMachine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason: 'CDK grants lambda:InvokeFunction on the page function and its versions/aliases (`<arn>:*`); it is that one function only.',
    });
  }
}

export const shadowWorkflow: WorkflowFactory = {
  workflow: SHADOW_WORKFLOW,
  create: (scope, id, deps) => {
    const shadow = new ShadowWorkflow(scope, id, deps);
    return { stateMachine: shadow.stateMachine, taskFunctions: new Map([['shadow-page', shadow.pageFn]]) };
  },
  localHandlers: (deps: AppDeps) => ({
    [SHADOW_STATES.page]: (input: unknown) => shadowTask(deps, input),
    [SHADOW_STATES.markFailed]: (input: unknown) => shadowTask(deps, input),
  }),
};
