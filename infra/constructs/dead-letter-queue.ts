import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';

export interface DeadLetterQueueProps {
  stage: StageConfig;
  /** What lands here, for the alarm and the dashboard: "outbox Pipe", "rule notify-requester", … */
  purpose: string;
}

/**
 * A dead-letter queue: encrypted, TLS only, 14 days by default. Every DLQ registers itself in
 * `DeadLetterQueue.all(scope)` so the observability stack alarms on each one's depth.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly purpose: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.purpose = props.purpose;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.stage.dlqRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue IS a dead-letter queue (${props.purpose}): it is the DeadLetterConfig of an EventBridge ` +
        'rule target / Pipe / Lambda async failure destination, which cdk-nag does not recognise as DLQ usage (it only ' +
        'looks at SQS redrive policies). A DLQ of a DLQ would only hide failures; its depth is alarmed instead.',
    });
  }
}
