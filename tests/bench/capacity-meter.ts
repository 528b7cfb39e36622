import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSIS } from '../../shared/db/table-definition.js';
import { currentInvocation } from '../../infra/local/invocations.js';

/**
 * DynamoDB's billable units, as the table reports them: every call asks for `ReturnConsumedCapacity:
 * TOTAL` (table and indexes; DynamoDB Local reports it, transactions counted double as AWS bills them).
 * A write refused by its condition (or a cancelled transaction) answers with no capacity: AWS still
 * bills it, so its units are computed from the request per AWS rules (1 KB per write unit, at least 1
 * per item; double in a transaction) and counted apart. Each call's units also go to the Lambda
 * invocation it runs in (infra/local/invocations.ts), so the bench can leave out whole invocations. Also, per kind of item (PK and SK prefixes), how
 * many items the calls wrote and their write units computed the same way: where the writes go.
 */
export interface CapacityMeter {
  readUnits: number;
  writeUnits: number;
  /** Write units of refused conditional writes and cancelled transactions, computed (see above). */
  refusedWriteUnits: number;
  calls: number;
  byKind: Map<string, { items: number; writeUnits: number; bytes: number }>;
  reset: () => void;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
const REFUSED = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

/** An item's size as DynamoDB counts it: attribute names plus values (strings in UTF-8, numbers about 1 byte per 2 digits). */
export const itemBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + itemBytes(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  if (typeof value === 'object') {
    if ('value' in value && Object.keys(value).length === 1) return itemBytes(String((value as { value: unknown }).value));
    return 3 + Object.entries(value).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + itemBytes(v), 0);
  }
  return 1;
};

const segment = (key: unknown): string => {
  const first = String(key ?? '').split('#')[0] ?? '';
  return /^[A-Z][A-Z_]*$/.test(first) ? first : '*';
};
export const itemKind = (item: Record<string, unknown>): string => `${segment(item.PK)}/${segment(item.SK)}`;

/** One item's write units: 1 per started KB, for the table and each index whose keys it carries (indexes project all). */
const itemWriteUnits = (item: Record<string, unknown>): number => {
  const units = Math.max(1, Math.ceil(itemBytes(item) / 1024));
  return units * (1 + GSIS.filter((g) => item[g.partitionKey] !== undefined).length);
};

interface WrittenItem {
  item: Record<string, unknown>;
  transactional: boolean;
}

/** The items a write names: the whole item of a Put, the key (and values set) of an Update, the key of a Delete or condition check. */
const writtenItems = (commandName: string, input: any): WrittenItem[] => {
  const updated = (u: any): Record<string, unknown> => ({ ...u.Key, ...(u.ExpressionAttributeValues ?? {}) });
  switch (commandName) {
    case 'PutItemCommand':
      return [{ item: input.Item, transactional: false }];
    case 'UpdateItemCommand':
      return [{ item: updated(input), transactional: false }];
    case 'DeleteItemCommand':
      return [{ item: input.Key, transactional: false }];
    case 'BatchWriteItemCommand':
      return Object.values(input.RequestItems ?? {}).flatMap((requests: any) => requests.map((r: any) => ({ item: r.PutRequest?.Item ?? r.DeleteRequest?.Key, transactional: false })));
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).map((t: any) => ({ item: t.Put?.Item ?? (t.Update ? updated(t.Update) : (t.Delete?.Key ?? t.ConditionCheck?.Key)), transactional: true }));
    default:
      return [];
  }
};

const unitsOf = (consumed: unknown): number => [consumed ?? []].flat().reduce((n: number, c: any) => n + (c?.CapacityUnits ?? 0), 0);

/** One AWS call of the invocation running here (the bill prices the wait for its answer). */
const countCall = (): void => {
  const invocation = currentInvocation();
  if (invocation) invocation.awsCalls += 1;
};

/** Counts every call of an SDK client (SES, …) as an AWS call of the invocation that makes it. */
export const meterCalls = (client: { middlewareStack: DynamoDBDocumentClient['middlewareStack'] }): void => {
  client.middlewareStack.add(
    (next) => async (args) => {
      countCall();
      return next(args);
    },
    { step: 'initialize', name: 'benchCallMeter' },
  );
};

export const meterCapacity = (client: DynamoDBDocumentClient): CapacityMeter => {
  const meter: CapacityMeter = {
    readUnits: 0,
    writeUnits: 0,
    refusedWriteUnits: 0,
    calls: 0,
    byKind: new Map(),
    reset() {
      meter.readUnits = 0;
      meter.writeUnits = 0;
      meter.refusedWriteUnits = 0;
      meter.calls = 0;
      meter.byKind.clear();
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? '');
      const isRead = READS.has(name);
      if (!isRead && !WRITES.has(name)) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      meter.calls += 1;
      countCall();
      const items = isRead ? [] : writtenItems(name, input);
      const computed = items.map(({ item, transactional }) => ({ kind: itemKind(item), bytes: itemBytes(item), units: itemWriteUnits(item) * (transactional ? 2 : 1) }));
      for (const c of computed) {
        const entry = meter.byKind.get(c.kind) ?? { items: 0, writeUnits: 0, bytes: 0 };
        meter.byKind.set(c.kind, { items: entry.items + 1, writeUnits: entry.writeUnits + c.units, bytes: entry.bytes + c.bytes });
      }
      try {
        const result = await next(args);
        const units = unitsOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        const invocation = currentInvocation();
        if (isRead) meter.readUnits += units;
        else meter.writeUnits += units;
        if (invocation && isRead) invocation.readUnits += units;
        else if (invocation) invocation.writeUnits += units;
        return result;
      } catch (error) {
        if (REFUSED.has((error as Error).name)) {
          const units = computed.reduce((n, c) => n + c.units, 0);
          meter.refusedWriteUnits += units;
          const invocation = currentInvocation();
          if (invocation) invocation.writeUnits += units;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return meter;
};
