import { CfnOutput, Duration, Stack, Validations, type CfnResource, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { GSIS, STREAM_VIEW_TYPE, TABLE_KEY, TTL_ATTRIBUTE } from '../../shared/db/table-definition.js';
import { EVENT_SOURCE } from '../../shared/events/envelope.js';
import { OUTBOX_PIPE_FILTER } from '../../shared/events/outbox.js';
import { OUTBOX_ENRICHER_ACCESS } from '../config/access.js';
import type { StageConfig } from '../config/stages.js';
import { AppFunction, type SesBinding } from '../constructs/app-function.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';

export interface DataStackProps extends StackProps {
  stage: StageConfig;
}

/** Entry of the Pipe's enrichment Lambda (its logic: functions/events/outbox-enricher.ts). */
export const OUTBOX_ENRICHER_ENTRY = 'functions/events/outbox-enricher.handler.ts';

/**
 * The Pipe's EventBridge target parameters. The enricher returns, per history entry,
 * `{ detailType, time, detail: { metadata, data } }`; dynamic JSON paths read that element.
 */
export const OUTBOX_TARGET_PARAMETERS = {
  eventBridgeEventBusParameters: { source: EVENT_SOURCE, detailType: '$.detailType', time: '$.time' },
  inputTemplate: '<$.detail>',
} as const;

/**
 * The stateful stack: the single table (the truth), the custom bus with its archive, SES sending
 * setup, and the outbox Pipe that turns history entries on the table's stream into bus events.
 * Nothing here is rebuilt when code changes, so the stateless stacks can come and go.
 */
export class DataStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly ses: SesBinding;
  readonly sesIdentity: ses.EmailIdentity;
  readonly pipe: pipes.CfnPipe;
  readonly enricher: AppFunction;
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  private readonly stage: StageConfig;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.stage = stage;

    // ── The table ────────────────────────────────────────────────────────────────────────────
    const S = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: S },
      sortKey: { name: TABLE_KEY.sortKey, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType[STREAM_VIEW_TYPE],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: stage.pointInTimeRecovery,
        ...(stage.pointInTimeRecovery ? { recoveryPeriodInDays: stage.pitrRecoveryPeriodDays } : {}),
      },
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.removalPolicy,
      encryption: dynamodb.TableEncryption.DEFAULT,
    });
    for (const gsi of GSIS) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: S },
        sortKey: { name: gsi.sortKey, type: S },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // ── The bus ──────────────────────────────────────────────────────────────────────────────
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: stage.eventBusName, description: 'Keiro domain events' });
    const archive = this.bus.archive('Archive', {
      archiveName: `${stage.prefix}-events`,
      description: 'Every keiro event, for replay after an incident',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(stage.eventArchiveRetentionDays),
    });
    // CDK writes `"KmsKeyIdentifier": ""` for an archive without a customer key (aws/aws-cdk#37847), and
    // some regions refuse the empty id: the archive uses the AWS-owned key when the property is absent.
    (archive.node.defaultChild as CfnResource).addPropertyDeletionOverride('KmsKeyIdentifier');

    // ── SES ──────────────────────────────────────────────────────────────────────────────────
    const configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `${stage.prefix}-mail`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.sesIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: ses.Identity.domain(stage.ses.identityDomain),
      configurationSet,
      dkimSigning: true,
      ...(stage.ses.mailFromDomain
        ? { mailFromDomain: stage.ses.mailFromDomain, mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE }
        : {}),
    });
    this.ses = {
      identityArn: this.formatArn({ service: 'ses', resource: 'identity', resourceName: stage.ses.identityDomain }),
      configurationSetName: configurationSet.configurationSetName,
      mailFrom: stage.ses.mailFrom,
    };
    // SES publishes sending events (delivery, open, click, bounce, complaint…) to the *default* bus
    // only; a rule forwards this configuration set's events to the keiro bus.
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
        ses.EmailSendingEvent.RENDERING_FAILURE,
        ses.EmailSendingEvent.OPEN,
        ses.EmailSendingEvent.CLICK,
        ses.EmailSendingEvent.SUBSCRIPTION,
      ],
    });
    const sesForwardDlq = this.dlq('SesEventsForwardDlq', 'SES events forwarded to the keiro bus');
    new events.Rule(this, 'SesEventsToKeiroBus', {
      description: 'Forward this stage\'s SES sending events from the default bus to the keiro bus',
      eventBus: defaultBus,
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } } },
      },
      targets: [new targets.EventBus(this.bus, { deadLetterQueue: sesForwardDlq.queue })],
    });

    // ── The outbox Pipe: table stream → (filter: new history entries) → enrichment → bus ─────
    this.enricher = new AppFunction(this, 'OutboxEnricher', {
      entry: OUTBOX_ENRICHER_ENTRY,
      stage,
      serviceName: 'keiro-outbox',
      description: 'Outbox Pipe enrichment: DynamoDB stream records of history entries → keiro bus events',
      memorySize: 256,
      timeout: Duration.seconds(10),
    });
    // The enricher makes no AWS calls (OUTBOX_ENRICHER_ACCESS is empty): no grants, no env.
    if (Object.keys(OUTBOX_ENRICHER_ACCESS).length > 0) {
      throw new Error('The outbox enricher is declared to use AWS: bind it here (infra/stacks/data-stack.ts)');
    }

    const pipeDlq = this.dlq('OutboxPipeDlq', 'outbox Pipe: stream batches that failed enrichment or delivery');
    const pipeLogs = new logs.LogGroup(this, 'OutboxPipeLogs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    const pipeRole = new iam.Role(this, 'OutboxPipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Outbox Pipe: read the table stream, invoke the enricher, put events on the keiro bus',
    });
    const pipePolicy = new iam.Policy(this, 'OutboxPipePolicy', {
      roles: [pipeRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resources: [this.table.tableStreamArn!],
        }),
        new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.enricher.fn.functionArn] }),
        new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: [pipeDlq.queue.queueArn] }),
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [pipeLogs.logGroupArn] }),
      ],
    });
    Validations.of(pipePolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which EventBridge Pipes requires of a DynamoDB stream source, has no resource-level ' +
        'permissions (it lists stream ARNs only). Reading records is limited to this table\'s stream.',
    });

    this.pipe = new pipes.CfnPipe(this, 'OutboxPipe', {
      name: `${stage.prefix}-outbox`,
      description: 'History entries (the outbox) → keiro bus',
      roleArn: pipeRole.roleArn,
      source: this.table.tableStreamArn!,
      sourceParameters: {
        dynamoDbStreamParameters: {
          // From the oldest record still on the stream, so entries written before the Pipe existed are not lost.
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 1,
          // One poller per shard keeps each record's entries in order.
          parallelizationFactor: 1,
          maximumRetryAttempts: 10,
          maximumRecordAgeInSeconds: -1,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: pipeDlq.queue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(OUTBOX_PIPE_FILTER) }] },
      },
      enrichment: this.enricher.fn.functionArn,
      target: this.bus.eventBusArn,
      targetParameters: OUTBOX_TARGET_PARAMETERS,
      logConfiguration: {
        level: 'ERROR',
        cloudwatchLogsLogDestination: { logGroupArn: pipeLogs.logGroupArn },
      },
    });
    this.pipe.node.addDependency(pipePolicy);

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'DynamoDB table (TABLE_NAME)' });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'Custom event bus (EVENT_BUS_NAME)' });
    new CfnOutput(this, 'SesConfigurationSetName', { value: configurationSet.configurationSetName });
    new CfnOutput(this, 'SesIdentity', {
      value: stage.ses.identityDomain,
      description: 'SES domain identity: publish the DKIM CNAME records below, then wait for verification',
    });
    this.sesIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `SesDkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${i + 1} of 3 to publish in DNS`,
      });
    });
    new CfnOutput(this, 'OutboxPipeName', { value: this.pipe.ref });
  }

  private dlq(id: string, purpose: string): DeadLetterQueue {
    const dlq = new DeadLetterQueue(this, id, { stage: this.stage, purpose });
    this.deadLetterQueues.push(dlq);
    return dlq;
  }
}
