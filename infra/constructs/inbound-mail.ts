import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { INBOUND_MAIL_ACCESS } from '../config/access.js';
import type { StageConfig } from '../config/stages.js';
import { AppFunction, type SesBinding } from './app-function.js';

export const INBOUND_MAIL_ENTRY = 'functions/events/inbound-mail.handler.ts';
const PREFIX = 'inbound/';

/**
 * Replies to cadence emails: SES receiving for `reply.<sesDomain>` (its MX must point at SES inbound,
 * and the rule set must be made the active one: functions/cadences/README.md) stores each mail in a private,
 * encrypted bucket (kept 7 days) and invokes the reply processor, which reads it from there.
 */
export class InboundMail extends Construct {
  readonly bucket: s3.Bucket;
  readonly fn: AppFunction;
  readonly ruleSet: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: { stage: StageConfig; table: ITable; bus: IEventBus; ses: SesBinding }) {
    super(scope, id);
    const { stage } = props;
    this.bucket = new s3.Bucket(this, 'Mail', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(7) }],
      removalPolicy: stage.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Transient inbound mail, deleted after 7 days; SES writes it and one Lambda reads it. Access is logged by CloudTrail data events where the account enables them.' });
    this.fn = new AppFunction(this, 'Processor', {
      entry: INBOUND_MAIL_ENTRY,
      stage,
      serviceName: 'keiro-inbound-mail',
      description: 'Keiro reply processor: replies and unsubscribe mails to cadence emails',
      timeout: Duration.seconds(30),
    });
    this.fn.bindAccess(INBOUND_MAIL_ACCESS, props);
    this.fn.setEnv('INBOUND_MAIL_BUCKET', this.bucket.bucketName).setEnv('INBOUND_MAIL_PREFIX', PREFIX);
    // Exactly GetObject under the prefix (grantRead would add List/GetBucket wildcards the code never calls).
    this.fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${PREFIX}*`)] }));
    Validations.of(this.fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId) as string}.Arn>/${PREFIX}*]`,
      reason: 'Object keys are SES message ids, unknown in advance: GetObject on the one prefix SES writes to, in this one bucket.',
    });
    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: `${stage.prefix}-inbound` });
    this.ruleSet.addRule('Replies', {
      recipients: [`reply.${stage.ses.identityDomain}`],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [new sesActions.S3({ bucket: this.bucket, objectKeyPrefix: PREFIX }), new sesActions.Lambda({ function: this.fn.fn, invocationType: sesActions.LambdaInvocationType.EVENT })],
    });
  }
}
