import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { buildHistoryItem } from '../../../shared/db/history.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { memoryPositionStore } from '../../../infra/local/events/positions.js';
import { pruneShards, readableShards } from '../../../infra/local/events/shards.js';
import { createStreamPoller } from '../../../infra/local/events/stream-poller.js';

const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => streams.reset());

const ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-05-01T00:00:00.000';

const historyRecord = (eventId: string, seq: string): _Record => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: seq,
    NewImage: marshall(
      buildHistoryItem({
        subjectPK: 'REC#Leads#L1', subject: { type: 'record', id: 'L1' }, eventId, eventName: 'record.updated', occurredAt: '2026-05-01T09:00:00.000Z', data: {},
        context: { actor: 'u', via: 'api', correlationId: 'c' },
      }),
      { removeUndefinedValues: true },
    ) as never,
  },
});
const otherRecord = (seq: string): _Record => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: seq, NewImage: marshall({ PK: 'x', SK: 'y', entity: 'Record' }) as never } });

const givenStream = (shards: Array<{ ShardId: string; ParentShardId?: string }>) => {
  streams.on(ListStreamsCommand).resolves({ Streams: [{ StreamArn: ARN, StreamLabel: '2026-05-01T00:00:00.000' }] });
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { StreamArn: ARN, Shards: shards } });
};

describe('shard order', () => {
  it('reads a parent before its children, and orphans (parent trimmed) at once', () => {
    const shards = [{ ShardId: 'P' }, { ShardId: 'C', ParentShardId: 'P' }, { ShardId: 'O', ParentShardId: 'gone' }];
    expect(readableShards(shards, {})).toEqual(['P', 'O']);
    expect(readableShards(shards, { P: { finished: true } })).toEqual(['C', 'O']);
    expect(pruneShards(shards, { gone: { finished: true }, P: { sequenceNumber: '1' } })).toEqual({ P: { sequenceNumber: '1' } });
  });
});

describe('stream poller (against a mocked Streams API)', () => {
  it('publishes history inserts in order, reads a closed parent to its end, then its child, and saves positions', async () => {
    givenStream([{ ShardId: 'P' }, { ShardId: 'C', ParentShardId: 'P' }]);
    streams.on(GetShardIteratorCommand, { ShardId: 'P' }).resolves({ ShardIterator: 'it-P' });
    streams.on(GetShardIteratorCommand, { ShardId: 'C' }).resolves({ ShardIterator: 'it-C' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-P' }).resolves({ Records: [historyRecord('E1', '1'), otherRecord('2')] }); // closed: no next iterator
    streams.on(GetRecordsCommand, { ShardIterator: 'it-C' }).resolves({ Records: [historyRecord('E2', '3')], NextShardIterator: 'it-C2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-C2' }).resolves({ Records: [], NextShardIterator: 'it-C3' });
    const published: BusEvent[] = [];
    const positions = memoryPositionStore();
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish: async (e) => void published.push(e) });

    expect(await poller.pollOnce()).toBe(2);
    expect(published.map((e) => e.detail.metadata.id)).toEqual(['E1', 'E2']);
    expect(await positions.load()).toEqual({ streamArn: ARN, shards: { P: { sequenceNumber: '2', finished: true }, C: { sequenceNumber: '3' } } });
    const firstIterators = streams.commandCalls(GetShardIteratorCommand).map((c) => c.args[0].input);
    expect(firstIterators.map((i) => [i.ShardId, i.ShardIteratorType])).toEqual([['P', 'TRIM_HORIZON'], ['C', 'TRIM_HORIZON']]);
  });

  it('resumes after a restart from the saved position (AFTER_SEQUENCE_NUMBER), skipping finished shards', async () => {
    givenStream([{ ShardId: 'P' }, { ShardId: 'C', ParentShardId: 'P' }]);
    const positions = memoryPositionStore();
    await positions.save({ streamArn: ARN, shards: { P: { sequenceNumber: '2', finished: true }, C: { sequenceNumber: '3' } } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-C-after-3' });
    streams.on(GetRecordsCommand).resolves({ Records: [historyRecord('E3', '4')], NextShardIterator: 'next' });
    streams.on(GetRecordsCommand, { ShardIterator: 'next' }).resolves({ Records: [], NextShardIterator: 'next2' });
    const published: BusEvent[] = [];
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish: async (e) => void published.push(e) });
    await poller.pollOnce();
    expect(streams.commandCalls(GetShardIteratorCommand).map((c) => c.args[0].input)).toEqual([
      { StreamArn: ARN, ShardId: 'C', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '3' },
    ]);
    expect(published.map((e) => e.detail.metadata.id)).toEqual(['E3']);
  });

  it('does not advance past events the bus did not take, and re-reads them on the next poll', async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-S' });
    streams.on(GetRecordsCommand).resolves({ Records: [historyRecord('E1', '1')], NextShardIterator: 'it-S2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S2' }).resolves({ Records: [], NextShardIterator: 'it-S3' });
    const positions = memoryPositionStore();
    let fail = true;
    const published: string[] = [];
    const poller = createStreamPoller({
      client: new DynamoDBStreamsClient({}), tableName: 't', positions,
      publish: async (e) => {
        if (fail) throw new Error('bus down');
        published.push(e.detail.metadata.id);
      },
    });
    await expect(poller.pollOnce()).rejects.toThrow('bus down');
    expect(await positions.load()).toBeUndefined();
    fail = false;
    await poller.pollOnce();
    expect(published).toEqual(['E1']);
    expect(streams.commandCalls(GetShardIteratorCommand)).toHaveLength(2);
    expect((await positions.load())?.shards.S).toEqual({ sequenceNumber: '1' });
  });

  it('starts afresh on a new stream (the table was re-created)', async () => {
    givenStream([{ ShardId: 'N' }]);
    const positions = memoryPositionStore();
    await positions.save({ streamArn: 'old-arn', shards: { S: { sequenceNumber: '9' } } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-N' });
    streams.on(GetRecordsCommand).resolves({ Records: [], NextShardIterator: 'it-N2' });
    await createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish: async () => undefined }).pollOnce();
    expect(streams.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toMatchObject({ ShardId: 'N', ShardIteratorType: 'TRIM_HORIZON' });
  });
});
