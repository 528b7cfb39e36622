import { CfnOutput, Duration, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { BUSINESS_METRIC_GROUPS, METRICS_NAMESPACE, type BusinessMetricName } from '../../shared/adapters/business-metrics.js';
import type { StageConfig } from '../config/stages.js';

export interface MonitoredFunction {
  /** Short label for alarm names and the dashboard: `api-records`, `consumer-notify-requester`… */
  label: string;
  fn: IFunction;
}

export interface MonitoredQueue {
  label: string;
  queue: IQueue;
}

export interface MonitoredStateMachine {
  label: string;
  stateMachine: IStateMachine;
}

export interface ObservabilityStackProps extends StackProps {
  stage: StageConfig;
  functions: readonly MonitoredFunction[];
  /** Every dead-letter queue: any message in one is an alarm. */
  deadLetterQueues: readonly MonitoredQueue[];
  stateMachines: readonly MonitoredStateMachine[];
  /** The outbox Pipe's name. */
  pipeName: string;
  /** The HTTP API's id (its `$default` stage is monitored). */
  httpApiId: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * One business figure as a dashboard line: the sum over every dimension combination the functions
 * emit it with (a SEARCH, so a new module or sender shows without a deploy).
 */
export const businessMetricExpression = (name: BusinessMetricName): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: `SUM(SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${name}"', 'Sum', 300))`,
    label: name,
    period: FIVE_MINUTES,
    usingMetrics: {},
  });

const businessGraph = (title: string, names: readonly BusinessMetricName[]): cloudwatch.GraphWidget =>
  new cloudwatch.GraphWidget({ title, width: 8, left: names.map(businessMetricExpression), leftYAxis: { min: 0 } });

/**
 * Alarms (Lambda errors and throttles, every DLQ's depth, outbox Pipe failures, failed workflow
 * executions, API 5xx) to one SNS topic, and a dashboard of the same signals.
 */
export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { stage } = props;

    // CloudWatch can only publish to an encrypted topic whose key lets it (not the aws/sns key).
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Keiro alarm topic',
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `${stage.prefix}-alarms`,
      displayName: `Keiro ${stage.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (stage.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(stage.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (idPart: string, metric: cloudwatch.IMetric, description: string, threshold = 1): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, `${idPart}Alarm`, {
        alarmName: `${stage.prefix}-${idPart}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const { label, fn } of props.functions) {
      alarm(`${label}-errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), `Lambda ${label}: invocation errors`);
      alarm(`${label}-throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), `Lambda ${label}: throttled invocations`);
    }
    for (const { label, queue } of props.deadLetterQueues) {
      alarm(
        `${label}-dlq-depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        `Dead-letter queue ${label} holds messages: inspect and redrive`,
      );
    }
    const pipeMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/EventBridge/Pipes',
        metricName,
        dimensionsMap: { PipeName: props.pipeName },
        period: FIVE_MINUTES,
        statistic: 'Sum',
      });
    alarm('outbox-pipe-failed', pipeMetric('ExecutionFailed'), 'Outbox Pipe: failed executions (events may be delayed; see its DLQ)');
    alarm('outbox-pipe-target-failed', pipeMetric('TargetStageFailed'), 'Outbox Pipe: putting events on the bus failed');
    for (const { label, stateMachine } of props.stateMachines) {
      alarm(`${label}-executions-failed`, stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), `Workflow ${label}: failed executions`);
    }
    const apiMetric = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.httpApiId, Stage: '$default' },
        period: FIVE_MINUTES,
        statistic,
      });
    alarm('api-5xx', apiMetric('5xx'), 'HTTP API: server errors (a 5xx is a bug)', 5);

    // ── Dashboard ────────────────────────────────────────────────────────────────────────────
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stage.prefix}`,
      defaultInterval: Duration.hours(3),
    });
    // cfn-lint's bundled resource schema predates `Tags` on AWS::CloudWatch::Dashboard (CloudFormation
    // takes them; the app tags every resource), so E3002 is a false error on this one resource only.
    (this.dashboard.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    const width = 12;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `# Keiro ${stage.stage}\nAPI, functions, outbox Pipe, dead-letter queues, workflows, business figures.`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        width,
        left: [apiMetric('Count'), apiMetric('4xx'), apiMetric('5xx')],
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p50, p99)',
        width,
        left: [apiMetric('Latency', 'p50'), apiMetric('Latency', 'p99')],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors',
        width,
        left: props.functions.map(({ label, fn }) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda throttles',
        width,
        left: props.functions.map(({ label, fn }) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label })),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda duration p99',
        width,
        left: props.functions.map(({ label, fn }) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Outbox Pipe',
        width,
        left: ['Invocations', 'ExecutionFailed', 'TargetStageFailed', 'EnrichmentStageFailed'].map(pipeMetric),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (messages visible)',
        width,
        left: props.deadLetterQueues.map(({ label, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Workflow executions',
        width,
        left: props.stateMachines.flatMap(({ label, stateMachine }) => [
          stateMachine.metricStarted({ period: FIVE_MINUTES, statistic: 'Sum', label: `${label} started` }),
          stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum', label: `${label} failed` }),
        ]),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `## Business figures\nEMF metrics in the \`${METRICS_NAMESPACE}\` namespace, summed over every dimension (module, sender…) per 5 minutes.`,
        width: 24,
        height: 1,
      }),
    );
    const graphs = BUSINESS_METRIC_GROUPS.map((group) => businessGraph(group.title, group.metrics));
    for (let i = 0; i < graphs.length; i += 3) this.dashboard.addWidgets(...graphs.slice(i, i + 3));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms }),
    );

    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn, description: 'Subscribe on-call here' });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }
}
