import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CONSUMER_LAMBDA_ATTEMPTS, createConsumerHandler } from '../../../shared/events/consumer-lambda.js';
import type { EventConsumer } from '../../../shared/events/consumer.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { ConsumerBusy, idempotentConsumer } from '../../../shared/events/idempotent-consumer.js';
import { consumedKeys, deadLetterKeys } from '../../../shared/db/keys.js';
import { flakyConsumer, recordingConsumer } from '../../fixtures/events/consumers.js';
import { fixtureSubscriptions, FLAKY } from '../../fixtures/events/subscriptions.js';
import { unitDeps } from '../../support/unit-deps.js';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const event = (replay?: { deadLetterId: string; subscriptionId: string }): BusEvent => ({
  version: '0', id: 'bus-1', source: replay ? 'keiro.replay' : 'keiro', 'detail-type': 'record.updated', account: '0', region: 'ap-northeast-1', time: '2026-05-01T09:00:00Z', resources: [],
  detail: { metadata: { id: 'E1', occurredAt: '2026-05-01T09:00:00.000Z', actor: 'u', correlationId: 'c' }, data: { module: 'Leads' }, ...(replay ? { replay } : {}) },
});

const claimUpdates = () => ddb.commandCalls(UpdateCommand).filter((c) => c.args[0].input.ConditionExpression?.includes('attribute_not_exists'));
const finishStatuses = () =>
  ddb.commandCalls(UpdateCommand).filter((c) => !c.args[0].input.ConditionExpression).map((c) => c.args[0].input.ExpressionAttributeValues?.[':status']);

describe('idempotent consumer', () => {
  it('claims the (consumer, event id) marker with a TTL, handles, and marks it done', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    const consumer = recordingConsumer('c');
    await idempotentConsumer(consumer).handle(event(), unitDeps());
    expect(consumer.handled).toHaveLength(1);
    const claim = claimUpdates()[0]?.args[0].input;
    expect(claim?.Key).toEqual(consumedKeys.key('c', 'E1'));
    expect(claim?.ExpressionAttributeValues?.[':ttl']).toBeGreaterThan(Date.parse('2026-05-01T09:00:00Z') / 1000);
    expect(finishStatuses()).toEqual(['done']);
  });

  it('skips an event the consumer already handled', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { status: 'done' } });
    const consumer = recordingConsumer('c');
    await idempotentConsumer(consumer).handle(event(), unitDeps());
    expect(consumer.handled).toHaveLength(0);
  });

  it('refuses, for a later retry, an event another delivery is handling right now', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { status: 'processing' } });
    await expect(idempotentConsumer(recordingConsumer('c')).handle(event(), unitDeps())).rejects.toBeInstanceOf(ConsumerBusy);
  });

  it('releases the marker when the handler throws, so the retry runs, and rethrows', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    await expect(idempotentConsumer(flakyConsumer('c')).handle(event(), unitDeps())).rejects.toThrow('c is down');
    expect(finishStatuses()).toEqual(['failed']);
  });
});

describe('own-marks consumer (its effects carry their own marks)', () => {
  const ownMarks = <C extends EventConsumer>(consumer: C): C => Object.assign(consumer, { idempotency: 'own-marks' as const });

  it('handles a delivery without writing a claim or a finish', async () => {
    const consumer = ownMarks(recordingConsumer('c'));
    await idempotentConsumer(consumer).handle(event(), unitDeps());
    expect(consumer.handled).toHaveLength(1);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('counts a failed delivery on the marker (attempt number, TTL) and rethrows', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 2 } });
    await expect(idempotentConsumer(ownMarks(flakyConsumer('c'))).handle(event(), unitDeps())).rejects.toThrow('c is down');
    const [count] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(count?.Key).toEqual(consumedKeys.key('c', 'E1'));
    expect(count?.ConditionExpression).toBeUndefined();
    expect(count?.ExpressionAttributeValues).toMatchObject({ ':failed': 'failed', ':one': 1 });
    expect(count?.ExpressionAttributeValues?.[':ttl']).toBeGreaterThan(Date.parse('2026-05-01T09:00:00Z') / 1000);
  });

  it('on the last counted attempt the Lambda wrapper stores a dead letter and forgets the count', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: CONSUMER_LAMBDA_ATTEMPTS } });
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    const handler = createConsumerHandler(ownMarks(flakyConsumer(FLAKY)), unitDeps(), { subscriptions: fixtureSubscriptions });
    await expect(handler(event())).rejects.toThrow(/is down/);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ target: { kind: 'consumer', consumer: FLAKY }, attempts: CONSUMER_LAMBDA_ATTEMPTS });
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual(consumedKeys.key(FLAKY, 'E1'));
  });
});

describe('consumer Lambda wrapper', () => {
  const handlerFor = (consumer: EventConsumer = flakyConsumer(FLAKY)) => createConsumerHandler(consumer, unitDeps(), { subscriptions: fixtureSubscriptions });

  it('rethrows before the last attempt, so Lambda retries, and stores no dead letter', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: CONSUMER_LAMBDA_ATTEMPTS - 1 } });
    await expect(handlerFor()(event())).rejects.toThrow(/is down/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('on the last attempt stores a dead letter for the matching subscription, forgets the marker and rethrows', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: CONSUMER_LAMBDA_ATTEMPTS } });
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    await expect(handlerFor()(event())).rejects.toThrow(/is down/);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      subscriptionId: 'fixture-lead-updates', target: { kind: 'consumer', consumer: FLAKY }, origin: 'consumer-lambda', attempts: CONSUMER_LAMBDA_ATTEMPTS,
    });
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual(consumedKeys.key(FLAKY, 'E1'));
  });

  it('rethrows a redacted error (Lambda logs it) while the dead letter keeps the original text', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: CONSUMER_LAMBDA_ATTEMPTS } });
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    const leaky: EventConsumer = { name: FLAKY, handle: async () => Promise.reject(new TypeError('SES refused aoi@customer.example, +81 90 1234 5678')) };
    const thrown = (await handlerFor(leaky)(event()).catch((e: unknown) => e)) as Error;
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'SES refused [email], [phone]' });
    expect(thrown.stack).not.toContain('aoi@');
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item?.error).toMatchObject({ name: 'TypeError', message: 'SES refused aoi@customer.example, +81 90 1234 5678' });
  });

  it('marks the dead letter replayed when a replay succeeds', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    const consumer = flakyConsumer(FLAKY);
    consumer.failing = false;
    await handlerFor(consumer)(event({ deadLetterId: 'DL1', subscriptionId: 'fixture-lead-updates' }));
    const outcome = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.PK === deadLetterKeys.key('DL1').PK);
    expect(outcome?.args[0].input.ExpressionAttributeValues?.[':status']).toBe('replayed');
  });

  it('marks the dead letter failed (no new dead letter) when a replay fails on its last attempt', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: CONSUMER_LAMBDA_ATTEMPTS } });
    ddb.on(DeleteCommand).resolves({});
    await expect(handlerFor()(event({ deadLetterId: 'DL1', subscriptionId: 'fixture-lead-updates' }))).rejects.toThrow();
    const outcome = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.PK === deadLetterKeys.key('DL1').PK);
    expect(outcome?.args[0].input.ExpressionAttributeValues?.[':status']).toBe('failed');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});
