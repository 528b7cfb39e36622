import { Duration, Tags, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';

/** Tag naming a state machine as a workflow: subscription targets and the local runner use it. */
export const WORKFLOW_TAG = 'keiro:workflow';

export interface WorkflowStateMachineProps {
  /** The workflow's name (`stepfunctions/<workflow>/<workflow>.workflow.ts`). */
  workflow: string;
  stage: StageConfig;
  /** The definition, from CDK chainables (JSONPath, Lambda tasks only: the local runner runs the same ASL). */
  definition: sfn.IChainable;
  /** Whole-execution timeout; journeys and cadences wait for days, so the default is a year. */
  timeout?: Duration;
  comment?: string;
  /** A fixed state machine name, for a state machine whose ARN others build without a reference (the timer). */
  stateMachineName?: string;
}

/**
 * The one way Keiro makes a state machine: Standard (executions wait for days), every event logged
 * to its own log group (without execution data), X-Ray tracing, and the `keiro:workflow` tag. Workflow constructs build their
 * chain and hand it to this.
 */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly workflow: string;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    this.workflow = props.workflow;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps the Logs resource policy small with many state machines.
      logGroupName: `/aws/vendedlogs/states/${props.stage.prefix}-${props.workflow}`,
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
      timeout: props.timeout ?? Duration.days(365),
      tracingEnabled: true,
      // Every event, without execution data: inputs and outputs carry event data (customers' emails,
      // phones, names), which must not reach the logs (README, "Observability"). The execution history
      // in the Step Functions console still shows them to whoever may read it.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      ...(props.comment ? { comment: props.comment } : {}),
      ...(props.stateMachineName ? { stateMachineName: props.stateMachineName } : {}),
    });
    Tags.of(this.stateMachine).add(WORKFLOW_TAG, props.workflow);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CDK adds Resource "*" only for X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, ' +
        'GetSamplingTargets) and CloudWatch Logs vended delivery (logs:CreateLogDelivery, PutResourcePolicy, …): neither ' +
        'supports resource-level permissions. Task permissions (lambda:InvokeFunction) name their functions.',
    });
  }
}
