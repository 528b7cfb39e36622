import { logger, safeError } from '../../../shared/adapters/telemetry.js';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  DynamoDBStreamsClient,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { busEntryFromHistory, busEventFromEntry, historyFromRecord, isOutboxRecord } from '../../../shared/events/outbox.js';
import { keyedDelivery } from './keyed-delivery.js';
import type { PositionStore, StreamPositions } from './positions.js';
import { pruneShards, readableShards } from './shards.js';

/**
 * A Streams client of a DynamoDB Local (any credentials do). Its region names the database read: one
 * for every region with `sharedDb`, the region's own without (the test runs and the bench).
 */
export const localStreamsClient = (region: string, endpoint: string): DynamoDBStreamsClient =>
  new DynamoDBStreamsClient({ region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  tableName: string;
  positions: PositionStore;
  /** The local bus: resolves once the event is delivered (or dead-lettered); only then is the position saved. */
  publish: (event: BusEvent) => Promise<unknown>;
  /** 200 ms by default, so a change reaches the bus well within 2 s. */
  intervalMs?: number;
  /** Records per GetRecords (at most 1000). */
  batchSize?: number;
  /**
   * Deliveries in flight at once (default 16): events of different records go to the bus concurrently,
   * those of one record one after another, as a shard keeps them in order per partition key.
   */
  concurrency?: number;
  region?: string;
  log?: (message: string, details: Record<string, unknown>) => void;
}

export interface StreamPoller {
  start: () => void;
  /** Stops after the poll in progress (its deliveries finish and its position is saved). */
  stop: () => Promise<void>;
  /** One pass over every readable shard; returns how many events went to the bus. */
  pollOnce: () => Promise<number>;
}

const errorName = (error: unknown): string => (error as { name?: string } | undefined)?.name ?? '';
/** Batches read from one shard in one pass before moving on to the next shard. */
const MAX_BATCHES_PER_SHARD = 20;
export const DEFAULT_DELIVERY_CONCURRENCY = 16;
/** Batches of one shard read ahead while earlier ones are still being delivered. */
const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * The local stand-in for the EventBridge Pipe: reads the table's stream, keeps history INSERTs
 * (OUTBOX_PIPE_FILTER), turns them into bus events and publishes them: in stream order per partition
 * key (the record a history entry belongs to), concurrently across keys (as EventBridge runs targets),
 * so one slow consumer holds up only its own record. At least once: a shard's position (in the
 * PositionStore) advances only after every event of the batch was delivered, and after a restart
 * reading resumes AFTER_SEQUENCE_NUMBER. A closed shard is read to its end before its children.
 */
export const createStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const { client, tableName } = options;
  const interval = options.intervalMs ?? 200;
  const log = options.log ?? ((message, details) => logger.warn(message, details));
  const iterators = new Map<string, string>();
  let state: StreamPositions | undefined;
  let loaded = false;
  let stopped = false;

  const currentStream = async (): Promise<string | undefined> => {
    const res = await client.send(new ListStreamsCommand({ TableName: tableName }));
    // A re-created table has a new stream; labels are creation timestamps, so the greatest is current.
    const newest = [...(res.Streams ?? [])].sort((a, b) => (a.StreamLabel ?? '').localeCompare(b.StreamLabel ?? '')).at(-1);
    return newest?.StreamArn;
  };

  const listShards = async (streamArn: string): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const res = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      shards.push(...(res.StreamDescription?.Shards ?? []));
      start = res.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  };

  const iteratorFor = async (streamArn: string, shardId: string, positions: StreamPositions): Promise<string | undefined> => {
    const cached = iterators.get(shardId);
    if (cached) return cached;
    const after = positions.shards[shardId]?.sequenceNumber;
    const res = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return res.ShardIterator;
  };

  const where = options.region ? { region: options.region } : {};
  const delivery = keyedDelivery(options.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY, options.publish);
  const keyedEvents = (records: _Record[]) =>
    records.filter(isOutboxRecord).map((record) => {
      const history = historyFromRecord(record);
      return { key: history.PK, item: busEventFromEntry(busEntryFromHistory(history), where) };
    });
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, interval).unref());

  /**
   * Reads one shard until it is closed, or empty for now with every event read delivered, or after
   * MAX_BATCHES_PER_SHARD batches with records. Reading goes on while earlier batches are delivered
   * (at most MAX_BATCHES_IN_FLIGHT); a batch's position is saved once it and every batch before it were
   * delivered. After a failure nothing later is saved and the shard is re-read from the saved position.
   */
  const readShard = async (positions: StreamPositions, shardId: string): Promise<number> => {
    const shard = () => (positions.shards[shardId] ??= {});
    let published = 0;
    let saved: Promise<void> = Promise.resolve();
    const pending = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    try {
      for (let batches = 0; !failure && batches < MAX_BATCHES_PER_SHARD; ) {
        const iterator = await iteratorFor(positions.streamArn, shardId, positions);
        if (!iterator) break;
        const res = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 100 }));
        const records = res.Records ?? [];
        const next = res.NextShardIterator;
        if (next) iterators.set(shardId, next);
        else iterators.delete(shardId);
        if (records.length === 0 && next) {
          // Nothing new yet: the pass ends once earlier batches are delivered; while they take long, look again.
          if (pending.size > 0 && !stopped) await Promise.race([pause(), Promise.allSettled([...pending])]);
          if (pending.size === 0 || stopped) break;
          continue;
        }
        const events = keyedEvents(records);
        published += events.length;
        batches += 1;
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        const delivered = delivery.submit(events);
        // Handled here too: after an earlier batch failed, `step` below never awaits this one.
        delivered.catch(() => undefined);
        // In order: a batch's position is saved after every earlier batch's, and never after a failure.
        const step = saved.then(async () => {
          await delivered;
          if (last) shard().sequenceNumber = last;
          if (!next) shard().finished = true;
          await options.positions.save(positions);
        });
        saved = step;
        pending.add(step);
        step.then(
          () => pending.delete(step),
          (error: unknown) => {
            pending.delete(step);
            failure ??= { error };
          },
        );
        if (!next) break;
        while (pending.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(pending).catch(() => undefined);
      }
    } finally {
      await Promise.allSettled([...pending, saved]);
    }
    if (failure) {
      iterators.delete(shardId); // re-read after the saved position next time
      throw failure.error;
    }
    return published;
  };

  const pollPass = async (): Promise<number> => {
    if (!loaded) {
      state = await options.positions.load();
      loaded = true;
    }
    const streamArn = await currentStream();
    if (!streamArn) return 0;
    if (state?.streamArn !== streamArn) {
      state = { streamArn, shards: {} };
      iterators.clear();
    }
    const positions = state;
    const shards = await listShards(streamArn);
    positions.shards = { ...pruneShards(shards, positions.shards) };
    let published = 0;
    const visited = new Set<string>();
    // A shard read to its end makes its children readable in the same pass.
    const unread = () => readableShards(shards, positions.shards).filter((id) => !visited.has(id));
    for (let next = unread(); next.length > 0; next = unread()) {
      for (const shardId of next) {
        visited.add(shardId);
        try {
          published += await readShard(positions, shardId);
        } catch (error) {
          const name = errorName(error);
          if (name === 'ExpiredIteratorException') iterators.delete(shardId);
          else if (name === 'TrimmedDataAccessException') {
            // Past the trim horizon: everything still in the shard is newer than what we read, so start at its oldest record.
            if (positions.shards[shardId]?.sequenceNumber) log('Stream records were trimmed before they were read; resuming at the oldest record', { tableName, shardId });
            iterators.delete(shardId);
            delete positions.shards[shardId]?.sequenceNumber;
          } else throw error;
        }
      }
    }
    return published;
  };

  // Passes never overlap (the loop and a caller of pollOnce share the iterators and positions).
  let queue: Promise<unknown> = Promise.resolve();
  const pollOnce = (): Promise<number> => {
    const pass = queue.then(pollPass, pollPass);
    queue = pass.catch(() => undefined);
    return pass;
  };

  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const loop = async () => {
    while (!stopped) {
      try {
        await pollOnce();
      } catch (error) {
        if (!stopped) log('Stream poll failed; retrying', { tableName, ...safeError(error) });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  return {
    start: () => {
      if (running) return;
      stopped = false;
      running = loop();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      running = undefined;
    },
    pollOnce,
  };
};
