import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { percentile, runConcurrent, type BenchRow } from './stats.js';

export interface RecordedCall {
  commandName: string;
  input: unknown;
}

/** When a call was sent and when its answer (or error) came back, in `performance.now()` ms. */
export type CallInterval = readonly [start: number, end: number];

/**
 * Counts every DynamoDB call a client makes; while recording, keeps each call's input; while timing,
 * keeps each call's interval.
 */
export interface DynamoMeter {
  calls: number;
  byCommand: Map<string, number>;
  recorded: RecordedCall[] | undefined;
  /** While set, each `send` awaited on the client adds its interval here: from the call to its answer, marshalling included. */
  timed: CallInterval[] | undefined;
  reset: () => void;
}

/** A deep copy of a command input that keeps class instances (e.g. NumberValue) as they are: structuredClone would turn them into maps. */
const cloneInput = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(cloneInput);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneInput(v)]));
  }
  return value;
};

export const meterDynamo = (client: DynamoDBDocumentClient): DynamoMeter => {
  const meter: DynamoMeter = {
    calls: 0,
    byCommand: new Map(),
    recorded: undefined,
    timed: undefined,
    reset() {
      meter.calls = 0;
      meter.byCommand.clear();
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      meter.calls += 1;
      meter.byCommand.set(name, (meter.byCommand.get(name) ?? 0) + 1);
      meter.recorded?.push({ commandName: name, input: cloneInput(args.input) });
      return next(args);
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  // Timed around `send` itself, not in the middleware stack: a caller awaits the document client's
  // marshalling too, and so does a bare call.
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  client.send = (async (command: unknown) => {
    const timed = meter.timed;
    if (!timed) return send(command);
    const started = performance.now();
    try {
      return await send(command);
    } finally {
      timed.push([started, performance.now()]);
    }
  }) as typeof client.send;
  return meter;
};

/**
 * The time (ms) during which at least one of the calls was in flight: the union of their intervals, so
 * calls sent together (a Promise.all of reads) count once, as the request waited for them once.
 */
export const timeInFlight = (intervals: readonly CallInterval[]): number => {
  let total = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= coveredUntil) continue;
    total += end - Math.max(start, coveredUntil);
    coveredUntil = end;
  }
  return total;
};

const DOCUMENT_COMMANDS: Record<string, new (input: any) => any> = {
  GetItemCommand: GetCommand,
  QueryCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
  BatchGetItemCommand: BatchGetCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
};

/**
 * Re-sends recorded calls one after another, as bare DynamoDB calls (no HTTP, no Keiro code).
 * A replayed conditional write fails its condition, but DynamoDB still does the round trip and the
 * condition evaluation: the cost we compare against.
 */
export const replay = async (client: DynamoDBDocumentClient, calls: readonly RecordedCall[]): Promise<void> => {
  for (const call of calls) {
    const Command = DOCUMENT_COMMANDS[call.commandName];
    if (!Command) throw new Error(`No replay for ${call.commandName}`);
    try {
      await client.send(new Command(call.input));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'TransactionCanceledException' && name !== 'ConditionalCheckFailedException') throw error;
    }
  }
};

/** The round trips a meter counted, e.g. `2 (BatchGetItem×1, TransactWriteItems×1)`. */
export const roundTripSummary = (meter: DynamoMeter): string => `${meter.calls} (${[...meter.byCommand].map(([k, v]) => `${k.replace('Command', '')}×${v}`).join(', ')})`;

/** A row against the first sample's calls replayed bare (`raw`: their latencies) at the same concurrency. */
export const replayRow = (operation: string, concurrency: number, latencies: readonly number[], roundTrips: string, raw: readonly number[]): BenchRow => ({
  operation,
  concurrency,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  roundTrips,
  baseline: 'replay',
  rawP50: percentile(raw, 50),
  ratio: percentile(latencies, 50) / percentile(raw, 50),
});

/** Calls that only read: replayed, they do the same work as when the handler made them. */
const READ_COMMANDS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand']);

/**
 * One sample's figures: how long the measured call took, how long its own DynamoDB calls were in
 * flight inside it (the calls it really made, conditions, index and stream work included), and the
 * ratio of the two.
 */
export interface PairedSample {
  latency: number;
  dynamo: number;
  ratio: number;
}

/** Runs `run` once with the meter timing every DynamoDB call it awaits. */
export const pairedSample = async (meter: DynamoMeter, run: () => Promise<unknown>): Promise<PairedSample> => {
  const timed: CallInterval[] = [];
  meter.timed = timed;
  const started = performance.now();
  try {
    await run();
  } finally {
    meter.timed = undefined;
  }
  const latency = performance.now() - started;
  const dynamo = timeInFlight(timed);
  return { latency, dynamo, ratio: latency / dynamo };
};

/**
 * A row from paired samples: p50 and p99 of the latency, p50 of the DynamoDB time, and the goal's
 * ratio, the p50 (nearest rank) of the per-sample ratios. Both sides of each ratio were measured in
 * the same few milliseconds, so the machine's load stretches them alike.
 */
export const pairedRow = (operation: string, samples: readonly PairedSample[], roundTrips: string, replayP50?: number): BenchRow => ({
  operation,
  concurrency: 1,
  p50: percentile(samples.map((s) => s.latency), 50),
  p99: percentile(samples.map((s) => s.latency), 99),
  roundTrips,
  baseline: 'paired',
  rawP50: percentile(samples.map((s) => s.dynamo), 50),
  ratio: percentile(samples.map((s) => s.ratio), 50),
  ownP50: percentile(samples.map((s) => s.latency - s.dynamo), 50),
  ...(replayP50 === undefined ? {} : { replayP50 }),
});

/**
 * One operation at concurrency 1 over `samples` subjects, each prepared first, unmeasured (a fresh
 * record to transition, an approval to decide), each measured paired with its own DynamoDB time
 * (`pairedSample`). The first sample's round trips are the row's; when they only read, they are also
 * replayed bare as many times (information: a replayed write would fail its condition and write nothing).
 */
export const measurePrepared = async <S>(
  context: { db: DynamoDBDocumentClient; meter: DynamoMeter; samples: number },
  operation: string,
  prepare: (i: number) => Promise<S>,
  run: (subject: S) => Promise<unknown>,
): Promise<BenchRow> => {
  const { db, meter, samples } = context;
  const measured: PairedSample[] = [];
  let calls: RecordedCall[] = [];
  let summary = '';
  for (let i = 0; i < samples; i++) {
    const subject = await prepare(i);
    if (i === 0) {
      meter.reset();
      meter.recorded = [];
    }
    measured.push(await pairedSample(meter, () => run(subject)));
    if (i === 0) {
      calls = meter.recorded ?? [];
      meter.recorded = undefined;
      summary = roundTripSummary(meter);
    }
  }
  const readsOnly = calls.length > 0 && calls.every((call) => READ_COMMANDS.has(call.commandName));
  const replayP50 = readsOnly ? percentile(await runConcurrent(samples, 1, () => replay(db, calls)), 50) : undefined;
  return pairedRow(operation, measured, summary, replayP50);
};
