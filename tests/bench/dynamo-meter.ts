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

/** Counts every DynamoDB call a client makes and, while recording, keeps each call's input. */
export interface DynamoMeter {
  calls: number;
  byCommand: Map<string, number>;
  recorded: RecordedCall[] | undefined;
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
  return meter;
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

/**
 * One operation at concurrency 1 over `samples` subjects, each prepared first, unmeasured (a fresh
 * record to transition, an approval to decide): p50 and p99 of the measured call alone; the first
 * call's DynamoDB round trips, and those calls replayed bare as many times, the row's baseline.
 */
export const measurePrepared = async <S>(
  context: { db: DynamoDBDocumentClient; meter: DynamoMeter; samples: number },
  operation: string,
  prepare: (i: number) => Promise<S>,
  run: (subject: S) => Promise<unknown>,
): Promise<BenchRow> => {
  const { db, meter, samples } = context;
  const latencies: number[] = [];
  let calls: RecordedCall[] = [];
  let summary = '';
  for (let i = 0; i < samples; i++) {
    const subject = await prepare(i);
    if (i === 0) {
      meter.reset();
      meter.recorded = [];
    }
    const started = performance.now();
    await run(subject);
    latencies.push(performance.now() - started);
    if (i === 0) {
      calls = meter.recorded ?? [];
      meter.recorded = undefined;
      summary = roundTripSummary(meter);
    }
  }
  const raw = await runConcurrent(samples, 1, () => replay(db, calls));
  return { operation, concurrency: 1, p50: percentile(latencies, 50), p99: percentile(latencies, 99), roundTrips: summary, rawP50: percentile(raw, 50), ratio: percentile(latencies, 50) / percentile(raw, 50) };
};
