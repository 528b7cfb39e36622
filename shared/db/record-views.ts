import { GetItemCommand, type GetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { decimalOf, formatDecimal, parseDecimal, sumDecimals, toNumber, type Decimal } from '../domain/records/decimal.js';
import type { FieldDefinition } from '../domain/records/module-definition.js';
import { counterKeys, recordKeys } from './keys.js';
import { queryPage } from './query.js';
import { getRecords, type RecordItem } from './records-repo.js';
import { COUNTER_PREFIX, EMPTY_BUCKET, filledAttribute, sumAttribute } from './record-view-items.js';

/** A counter item's numbers: plain numbers, or the decimal text DynamoDB holds where no double is exact (sums past 2^53). */
export type Counters = Readonly<Record<string, string | number>>;

/**
 * The counter item of (module, picklist field): `v:` counts, `s:`/`n:` sums and filled counts. One GetItem.
 * Read without the document client's number conversion, which refuses (or turns into BigInt) any sum
 * beyond 2^53: each number stays the exact decimal text DynamoDB added up. The low-level GetItem goes
 * through the same client (the document client only adds marshalling to its own commands), hence the casts.
 */
export const readCounters = async (deps: AppDeps, module: string, field: string, generation = 1): Promise<Record<string, string | number>> => {
  const key = counterKeys.key(module, field, generation);
  const res = (await deps.db.send(
    new GetItemCommand({ TableName: deps.tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true }) as never,
  )) as GetItemCommandOutput;
  return Object.fromEntries(Object.entries(res.Item ?? {}).flatMap(([attribute, value]) => (value.N === undefined ? [] : [[attribute, exactNumberOrText(value.N)]])));
};

/** A plain number where a double holds the decimal exactly (counts, most sums), else the decimal text. */
const exactNumberOrText = (text: string): string | number => {
  const exact = parseDecimal(text);
  const n = Number(text);
  return exact && Number.isFinite(n) && formatDecimal(decimalOf(n)) === formatDecimal(exact) ? n : text;
};

const ZERO = decimalOf(0);
const decimalAt = (counters: Counters, attribute: string): Decimal => {
  const raw = counters[attribute];
  return (raw === undefined ? undefined : parseDecimal(String(raw))) ?? ZERO;
};
const countAt = (counters: Counters, attribute: string): number => Math.max(0, toNumber(decimalAt(counters, attribute)));

/** How many records a kanban column (a picklist value) holds. */
export const columnCount = (counters: Counters, value: string): number => countAt(counters, `${COUNTER_PREFIX}${value}`);

/** Columns/groups in picklist order; then values no longer in the options but still held, then "(none)", when they hold records. */
export const groupValues = (field: FieldDefinition, counters: Counters): string[] => {
  const options = field.options ?? [];
  const held = Object.keys(counters)
    .filter((attribute) => attribute.startsWith(COUNTER_PREFIX) && countAt(counters, attribute) > 0)
    .map((attribute) => attribute.slice(COUNTER_PREFIX.length))
    .filter((value) => !options.includes(value));
  const stale = held.filter((v) => v !== EMPTY_BUCKET).sort();
  return [...options, ...stale, ...(held.includes(EMPTY_BUCKET) ? [EMPTY_BUCKET] : [])];
};

export type Metric = { kind: 'count' } | { kind: 'sum' | 'avg'; field: string };

export interface Group {
  value: string;
  count: number;
  /** count, the sum of the field, or its average over the records that have it (null: none has it). */
  result: number | null;
}

/**
 * Chart data from one counter item: no record is read, however large the module. Sums are added as
 * exact decimals; only the result becomes a JSON number (the nearest double).
 */
export const aggregateFromCounters = (field: FieldDefinition, counters: Counters, metric: Metric): { groups: Group[]; total: Group } => {
  const resultOf = (count: number, sum: Decimal, filled: number): number | null => {
    if (metric.kind === 'count') return count;
    if (metric.kind === 'sum') return toNumber(sum);
    return filled > 0 ? toNumber(sum) / filled : null;
  };
  let [count, sum, filled] = [0, ZERO, 0];
  const groups = groupValues(field, counters).map((value) => {
    const c = columnCount(counters, value);
    const s = metric.kind === 'count' ? ZERO : decimalAt(counters, sumAttribute(metric.field, value));
    const f = metric.kind === 'count' ? 0 : countAt(counters, filledAttribute(metric.field, value));
    [count, sum, filled] = [count + c, sumDecimals([sum, s]), filled + f];
    return { value, count: c, result: resultOf(c, s, f) };
  });
  return { groups, total: { value: '(total)', count, result: resultOf(count, sum, filled) } };
};

/** One kanban column: the records in the value's group partition, newest first (ULID ids), read in one batch. */
export const kanbanColumn = async (
  deps: AppDeps,
  module: string,
  field: string,
  value: string,
  limit: number,
  cursor?: string,
  generation = 1,
): Promise<{ records: RecordItem[]; nextCursor?: string }> => {
  const page = await queryPage<{ SK: string }>(
    deps,
    { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': recordKeys.groupPartition(module, field, value, generation) }, ScanIndexForward: false, ConsistentRead: true },
    limit,
    cursor,
  );
  const records = await getRecords(deps, module, page.items.map((i) => i.SK));
  return { records, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};
