import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { meterDynamo, pairedRow, pairedSample, timeInFlight, type CallInterval } from '../../bench/dynamo-meter.js';

/**
 * A document client whose calls never leave the process: each waits until the test releases it, then
 * answers (or fails as a refused condition, for a PutItem).
 */
const heldClient = () => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const held: Array<() => void> = [];
  db.middlewareStack.add(
    (_next, context) => async () => {
      await new Promise<void>((release) => held.push(release));
      if (context.commandName === 'PutItemCommand') throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'initialize', priority: 'low', name: 'heldAnswer' },
  );
  const releaseNext = async () => {
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    held.shift()!();
  };
  return { db, releaseNext };
};

const get = (id: string) => new GetCommand({ TableName: 't', Key: { pk: id, sk: id } });

describe('the DynamoDB meter', () => {
  it('times nothing until asked, and counts every call as before', async () => {
    const { db, releaseNext } = heldClient();
    const meter = meterDynamo(db);
    const call = db.send(get('a'));
    await releaseNext();
    await call;
    expect(meter.timed).toBeUndefined();
    expect(meter.calls).toBe(1);
    expect(meter.byCommand.get('GetItemCommand')).toBe(1);
  });

  it('keeps the interval of every call awaited while timing, concurrent and failed calls included', async () => {
    const { db, releaseNext } = heldClient();
    const meter = meterDynamo(db);
    const timed: CallInterval[] = [];
    meter.timed = timed;
    const both = Promise.all([db.send(get('a')), db.send(get('b'))]);
    await releaseNext();
    await releaseNext();
    await both;
    const refused = db.send(new PutCommand({ TableName: 't', Item: { pk: 'c', sk: 'c' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await releaseNext();
    await expect(refused).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    meter.timed = undefined;

    expect(timed).toHaveLength(3);
    const [first, second, third] = timed as [CallInterval, CallInterval, CallInterval];
    // The two reads were in flight together; the refused write came after both.
    expect(first[0]).toBeLessThanOrEqual(second[1]);
    expect(second[0]).toBeLessThanOrEqual(first[1]);
    expect(third[0]).toBeGreaterThanOrEqual(Math.max(first[1], second[1]));
    expect(meter.calls).toBe(3);
  });

  it('pairs a sample with the time its own calls were in flight, and stops timing even when the sample throws', async () => {
    const { db, releaseNext } = heldClient();
    const meter = meterDynamo(db);
    const sample = pairedSample(meter, async () => {
      const first = db.send(get('a'));
      await releaseNext();
      await first;
      const second = db.send(get('b'));
      await releaseNext();
      await second;
    });
    const { latency, dynamo, ratio } = await sample;
    expect(dynamo).toBeGreaterThan(0);
    expect(dynamo).toBeLessThanOrEqual(latency);
    expect(ratio).toBe(latency / dynamo);
    expect(meter.timed).toBeUndefined();

    await expect(pairedSample(meter, async () => Promise.reject(new Error('the handler failed')))).rejects.toThrow('the handler failed');
    expect(meter.timed).toBeUndefined();
  });
});

describe('time in flight', () => {
  it('is the union of the intervals: overlapping calls count once, gaps not at all, in any order', () => {
    expect(timeInFlight([])).toBe(0);
    expect(timeInFlight([[0, 10]])).toBe(10);
    expect(timeInFlight([[20, 25], [5, 15], [0, 10]])).toBe(20);
    expect(timeInFlight([[0, 10], [2, 3], [4, 9]])).toBe(10);
    expect(timeInFlight([[0, 4], [4, 6]])).toBe(6);
  });
});

describe('a paired row', () => {
  it('judges the p50 of the per-sample ratios, not the p50 latency over the p50 DynamoDB time', () => {
    const row = pairedRow('patch', [
      { latency: 10, dynamo: 5, ratio: 2 },
      { latency: 30, dynamo: 25, ratio: 1.2 },
      { latency: 12, dynamo: 4, ratio: 3 },
    ], '2 (BatchGetItem×1, TransactWriteItems×1)');
    expect(row).toEqual({ operation: 'patch', concurrency: 1, p50: 12, p99: 30, roundTrips: '2 (BatchGetItem×1, TransactWriteItems×1)', baseline: 'paired', rawP50: 5, ratio: 2, ownP50: 5 });
    expect(pairedRow('get', [{ latency: 3, dynamo: 2, ratio: 1.5 }], '1 (BatchGetItem×1)', 1.8)).toMatchObject({ replayP50: 1.8 });
  });
});
