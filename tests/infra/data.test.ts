import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_ENRICHER_ENTRY } from '../../infra/stacks/data-stack.js';
import { GSIS, OUTBOX_ENTITY, STREAM_VIEW_TYPE, TTL_ATTRIBUTE } from '../../shared/db/table-definition.js';
import { asEventPattern, matchesPattern } from '../../shared/events/event-pattern.js';
import { enrichOutboxRecords } from '../../functions/events/outbox-enricher.js';
import { actionsOf, logicalId, resourcesOfType, roleStatements, synthKeiro, type SynthesizedKeiro } from './support/synth.js';

let prod: SynthesizedKeiro;
let dev: SynthesizedKeiro;
beforeAll(() => {
  prod = synthKeiro('prod');
  dev = synthKeiro('dev');
});

/** A history entry as the stream carries it (typed JSON NewImage). */
const historyInsert = {
  eventID: 'e1',
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { PK: { S: 'RECORD#Leads#01J' }, SK: { S: 'HISTORY#01K' } },
    NewImage: {
      PK: { S: 'RECORD#Leads#01J' },
      SK: { S: 'HISTORY#01K' },
      entity: { S: OUTBOX_ENTITY },
      eventId: { S: '01K' },
      eventName: { S: 'record.updated' },
      eventVersion: { N: '1' },
      subject: { M: { type: { S: 'record' }, id: { S: '01J' }, module: { S: 'Leads' } } },
      actor: { S: 'u-agent' },
      via: { S: 'api' },
      changes: { L: [{ M: { field: { S: 'leadStatus' }, old: { S: 'New' }, new: { S: 'Contacted' } } }] },
      occurredAt: { S: '2025-03-01T09:00:00.000Z' },
      correlationId: { S: 'req-1' },
      data: { M: { id: { S: '01J' }, module: { S: 'Leads' } } },
    },
    StreamViewType: 'NEW_IMAGE',
  },
};
const recordInsert = {
  ...historyInsert,
  dynamodb: { ...historyInsert.dynamodb, NewImage: { PK: { S: 'RECORD#Leads#01J' }, SK: { S: 'RECORD' }, entity: { S: 'Record' } } },
};
const historyModify = { ...historyInsert, eventName: 'MODIFY' };
const historyRemove = { ...historyInsert, eventName: 'REMOVE', dynamodb: { Keys: historyInsert.dynamodb.Keys } };
const untyped = { ...historyInsert, dynamodb: { NewImage: { PK: { S: 'X' }, SK: { S: 'Y' } } } };

const pipeProps = (k: SynthesizedKeiro) => resourcesOfType(k.templates.data, 'AWS::Pipes::Pipe')[0]![1].Properties as {
  SourceParameters: { FilterCriteria: { Filters: Array<{ Pattern: string }> }; DynamoDBStreamParameters: Record<string, unknown> };
  TargetParameters: { EventBridgeEventBusParameters: Record<string, string>; InputTemplate: string };
  Enrichment: unknown;
  Target: unknown;
  Source: unknown;
};

describe('table', () => {
  it('is built from table-definition: keys, GSIs, NEW_IMAGE stream, TTL, PITR', () => {
    prod.templates.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: STREAM_VIEW_TYPE },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: GSIS.map((g) =>
        Match.objectLike({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
    });
  });

  it('prod: deletion protection, RETAIN, 35-day PITR window; dev: destroyable', () => {
    prod.templates.data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 } }),
    });
    dev.templates.data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    expect(prod.data.terminationProtection).toBe(true);
    // Everything stateful in prod is retained: queues, log groups, user pool included.
    for (const template of Object.values(prod.templates)) {
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>)) {
        if (['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::Cognito::UserPool', 'AWS::KMS::Key'].includes(resource.Type)) {
          expect(resource.DeletionPolicy, `${resource.Type} ${id}`).toBe('Retain');
        }
      }
    }
  });
});

describe('bus and SES', () => {
  it('has the custom bus (keiro in prod) with an archive of keiro events', () => {
    prod.templates.data.hasResourceProperties('AWS::Events::EventBus', { Name: 'keiro' });
    prod.templates.data.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['keiro'] },
      RetentionDays: 35,
    });
  });

  it('keeps archived events (which carry record values an erasure cannot reach) no longer than the table keeps its backups', () => {
    for (const templates of [prod.templates]) {
      const archives = Object.values(templates.data.findResources('AWS::Events::Archive')) as Array<{ Properties: { RetentionDays?: number } }>;
      expect(archives.length).toBe(1);
      for (const archive of archives) expect(archive.Properties.RetentionDays).toBeGreaterThanOrEqual(1);
      for (const archive of archives) expect(archive.Properties.RetentionDays).toBeLessThanOrEqual(35);
    }
  });

  it('the archive carries no empty KmsKeyIdentifier (aws/aws-cdk#37847; some regions refuse it): it uses the AWS-owned key', () => {
    for (const keiro of [prod, dev]) {
      const archives = resourcesOfType(keiro.templates.data, 'AWS::Events::Archive');
      expect(archives).toHaveLength(1);
      expect(archives[0]![1].Properties).not.toHaveProperty('KmsKeyIdentifier');
    }
  });

  it('has the SES configuration set and the domain identity from the stage config, and forwards SES events to the bus', () => {
    prod.templates.data.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'keiro-prod-mail' });
    prod.templates.data.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'crm.example.com',
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
    prod.templates.data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ EventBridgeDestination: Match.anyValue() }),
    });
    prod.templates.data.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: Match.objectLike({ source: ['aws.ses'] }),
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
  });
});

describe('outbox Pipe', () => {
  it('reads the table stream, enriches with the outbox enricher, and targets the bus', () => {
    const p = pipeProps(prod);
    expect(p.Source).toEqual({ 'Fn::GetAtt': [logicalId(prod.data.table), 'StreamArn'] });
    expect(p.Enrichment).toEqual({ 'Fn::GetAtt': [logicalId(prod.data.enricher.fn), 'Arn'] });
    expect(p.Target).toEqual({ 'Fn::GetAtt': [logicalId(prod.data.bus), 'Arn'] });
    expect(prod.data.enricher.entry).toBe(OUTBOX_ENRICHER_ENTRY);
    expect(p.SourceParameters.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(prod.data.deadLetterQueues.find((d) => d.node.id === 'OutboxPipeDlq')!.queue), 'Arn'] } },
      OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
    });
  });

  it("filter passes new history entries only (evaluated with the project's EventBridge matcher)", () => {
    const filters = pipeProps(prod).SourceParameters.FilterCriteria.Filters.map((f) => asEventPattern(JSON.parse(f.Pattern)));
    expect(filters).toHaveLength(1);
    const passes = (record: unknown) => filters.some((pattern) => matchesPattern(pattern, record));
    expect(passes(historyInsert)).toBe(true);
    expect(passes(recordInsert)).toBe(false);
    expect(passes(historyModify)).toBe(false);
    expect(passes(historyRemove)).toBe(false);
    expect(passes(untyped)).toBe(false);
  });

  it('publishes source keiro, detail-type = eventName and detail = { metadata, data } from what the enricher returns', () => {
    const { EventBridgeEventBusParameters: bus, InputTemplate } = pipeProps(prod).TargetParameters;
    expect(bus.Source).toBe('keiro');
    // Dynamic JSON paths and the input template read one element of the enrichment output.
    const [element] = enrichOutboxRecords([historyInsert]);
    const at = (jsonPath: string) => jsonPath.replace(/^\$\./, '').split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], element);
    expect(at(bus.DetailType!)).toBe('record.updated');
    expect(at(bus.Time!)).toBe('2025-03-01T09:00:00.000Z');
    expect(InputTemplate).toMatch(/^<\$\.[A-Za-z.]+>$/);
    expect(at(InputTemplate.slice(1, -1))).toEqual({
      metadata: expect.objectContaining({ id: '01K', occurredAt: '2025-03-01T09:00:00.000Z', actor: 'u-agent', correlationId: 'req-1' }),
      data: { id: '01J', module: 'Leads' },
    });
  });

  it('has a DLQ and a role limited to the stream, the enricher, the bus, the DLQ and its log group', () => {
    const roleId = (pipeProps(prod) as unknown as { RoleArn: { 'Fn::GetAtt': [string] } }).RoleArn['Fn::GetAtt'][0];
    const actions = actionsOf(roleStatements(prod.templates.data, roleId)).sort();
    expect(actions).toEqual(
      [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'events:PutEvents',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:GetQueueAttributes',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(prod.data.deadLetterQueues.map((d) => d.node.id)).toContain('OutboxPipeDlq');
  });
});
