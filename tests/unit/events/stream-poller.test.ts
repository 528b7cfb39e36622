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

const historyRecord = (eventId: string, seq: string, recordId = 'L1'): _Record => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: seq,
    NewImage: marshall(
      buildHistoryItem({
        subjectPK: `REC#Leads#${recordId}`, subject: { type: 'record', id: recordId }, eventId, eventName: 'record.updated', occurredAt: '2026-05-01T09:00:00.000Z', data: {},
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

describe('stream poller: concurrent across records, in order per record (as a stream shard and the bus do)', () => {
  /** A bus that logs when each delivery starts and ends, and takes a few turns of the event loop per event. */
  const loggingBus = (fail: (id: string) => boolean = () => false) => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const publish = async (e: BusEvent) => {
      const id = e.detail.metadata.id;
      log.push(`start ${id}`);
      inFlight += 1;
      most = Math.max(most, inFlight);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      if (fail(id)) {
        log.push(`fail ${id}`);
        throw new Error(`bus refused ${id}`);
      }
      log.push(`end ${id}`);
    };
    return { publish, log, most: () => most };
  };
  const before = (log: string[], a: string, b: string) => log.indexOf(a) >= 0 && log.indexOf(a) < log.indexOf(b);

  it('delivers events of different records at once, and the events of one record one after another in stream order', async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-S' });
    const records = [historyRecord('A1', '1', 'A'), historyRecord('B1', '2', 'B'), historyRecord('A2', '3', 'A'), historyRecord('C1', '4', 'C'), historyRecord('A3', '5', 'A')];
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S' }).resolves({ Records: records, NextShardIterator: 'it-S2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S2' }).resolves({ Records: [], NextShardIterator: 'it-S3' });
    const bus = loggingBus();
    const positions = memoryPositionStore();
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish: bus.publish, concurrency: 8 });

    expect(await poller.pollOnce()).toBe(5);
    expect(bus.most()).toBe(3);
    expect(before(bus.log, 'end A1', 'start A2') && before(bus.log, 'end A2', 'start A3')).toBe(true);
    expect(before(bus.log, 'start B1', 'end A1') && before(bus.log, 'start C1', 'end A1')).toBe(true);
    expect((await positions.load())?.shards.S).toEqual({ sequenceNumber: '5' });
  });

  it('keeps at most `concurrency` deliveries in flight', async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-S' });
    const records = Array.from({ length: 30 }, (_, i) => historyRecord(`E${i}`, String(i + 1), `R${i}`));
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S' }).resolves({ Records: records, NextShardIterator: 'it-S2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S2' }).resolves({ Records: [], NextShardIterator: 'it-S3' });
    const bus = loggingBus();
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions: memoryPositionStore(), publish: bus.publish, concurrency: 4 });
    expect(await poller.pollOnce()).toBe(30);
    expect(bus.most()).toBe(4);
    expect(bus.log.filter((l) => l.startsWith('end'))).toHaveLength(30);
  });

  it('a refused event stops its record (its later events wait), the other records go on, and the position stays before the batch to re-read it', async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-S' });
    const records = [historyRecord('A1', '1', 'A'), historyRecord('B1', '2', 'B'), historyRecord('A2', '3', 'A'), historyRecord('B2', '4', 'B')];
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S' }).resolves({ Records: records, NextShardIterator: 'it-S2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-S2' }).resolves({ Records: [], NextShardIterator: 'it-S3' });
    let refuse = true;
    const bus = loggingBus((id) => refuse && id === 'A1');
    const positions = memoryPositionStore();
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish: bus.publish });

    await expect(poller.pollOnce()).rejects.toThrow('bus refused A1');
    expect(bus.log.filter((l) => !l.startsWith('start'))).toEqual(expect.arrayContaining(['fail A1', 'end B1', 'end B2']));
    expect(bus.log).not.toContain('start A2');
    expect(await positions.load()).toBeUndefined();

    refuse = false;
    bus.log.length = 0;
    expect(await poller.pollOnce()).toBe(4);
    expect(bus.log.filter((l) => l.startsWith('end'))).toEqual(expect.arrayContaining(['end A1', 'end A2', 'end B1', 'end B2']));
    expect(before(bus.log, 'end A1', 'start A2')).toBe(true);
    expect((await positions.load())?.shards.S).toEqual({ sequenceNumber: '4' });
  });

  it("reads on while a batch is delivered: a later batch's other records go at once, its events of a busy record wait, and positions are saved in order", async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-1' }).resolves({ Records: [historyRecord('A1', '1', 'A'), historyRecord('B1', '2', 'B')], NextShardIterator: 'it-2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-2' }).resolves({ Records: [historyRecord('A2', '3', 'A'), historyRecord('C1', '4', 'C')], NextShardIterator: 'it-3' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-3' }).resolves({ Records: [], NextShardIterator: 'it-4' });
    const log: string[] = [];
    const saves: Array<string | undefined> = [];
    const positions = memoryPositionStore();
    const save = positions.save;
    positions.save = async (p) => {
      saves.push(p.shards.S?.sequenceNumber);
      await save(p);
    };
    const publish = async (e: BusEvent) => {
      const id = e.detail.metadata.id;
      log.push(`start ${id}`);
      // A1 is slow: it lasts until C1 of the next batch started (or gives up after 10 s: a bound, not a measure; turns of the event loop alone ran out on a loaded machine).
      for (const giveUp = Date.now() + 10_000; id === 'A1' && !log.includes('start C1') && Date.now() < giveUp; ) await new Promise((r) => setTimeout(r, 1));
      log.push(`end ${id}`);
    };
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish });
    expect(await poller.pollOnce()).toBe(4);
    expect(before(log, 'start C1', 'end A1')).toBe(true);
    expect(before(log, 'end A1', 'start A2')).toBe(true);
    expect(saves).toEqual(['2', '4']);
  });

  it("after a refused event, no later batch's position is saved, and its events of that record are not sent", async () => {
    givenStream([{ ShardId: 'S' }]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-1' }).resolves({ Records: [historyRecord('A1', '1', 'A')], NextShardIterator: 'it-2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-2' }).resolves({ Records: [historyRecord('A2', '2', 'A'), historyRecord('B1', '3', 'B')], NextShardIterator: 'it-3' });
    streams.on(GetRecordsCommand, { ShardIterator: 'it-3' }).resolves({ Records: [], NextShardIterator: 'it-4' });
    const sent: string[] = [];
    const positions = memoryPositionStore();
    const publish = async (e: BusEvent) => {
      const id = e.detail.metadata.id;
      for (const giveUp = Date.now() + 10_000; id === 'A1' && !sent.includes('B1') && Date.now() < giveUp; ) await new Promise((r) => setTimeout(r, 1));
      if (id === 'A1') throw new Error('bus refused A1');
      sent.push(id);
    };
    const poller = createStreamPoller({ client: new DynamoDBStreamsClient({}), tableName: 't', positions, publish });
    await expect(poller.pollOnce()).rejects.toThrow('bus refused A1');
    expect(sent).toEqual(['B1']);
    expect(await positions.load()).toBeUndefined();
  });
});
