import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { FieldDefinition } from '../domain/records/module-definition.js';
import { counterKeys, recordKeys } from './keys.js';
import { queryPage } from './query.js';
import { getRecords, type RecordItem } from './records-repo.js';
import { COUNTER_PREFIX, EMPTY_BUCKET, filledAttribute, sumAttribute } from './record-view-items.js';

/** The counter item of (module, picklist field): `v:` counts, `s:`/`n:` sums and filled counts. One GetItem. */
export const readCounters = async (deps: AppDeps, module: string, field: string, generation = 1): Promise<Record<string, number>> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: counterKeys.key(module, field, generation), ConsistentRead: true }));
  return Object.fromEntries(Object.entries(res.Item ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
};

/** Columns/groups in picklist order; then values no longer in the options but still held, then "(none)", when they hold records. */
export const groupValues = (field: FieldDefinition, counters: Record<string, number>): string[] => {
  const options = field.options ?? [];
  const held = Object.entries(counters)
    .filter(([attribute, count]) => attribute.startsWith(COUNTER_PREFIX) && count > 0)
    .map(([attribute]) => attribute.slice(COUNTER_PREFIX.length))
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

const round = (n: number): number => Math.round(n * 1e9) / 1e9;

/** Chart data from one counter item: no record is read, however large the module. */
export const aggregateFromCounters = (field: FieldDefinition, counters: Record<string, number>, metric: Metric): { groups: Group[]; total: Group } => {
  const at = (attribute: string) => counters[attribute] ?? 0;
  const resultOf = (count: number, sum: number, filled: number): number | null => {
    if (metric.kind === 'count') return count;
    if (metric.kind === 'sum') return round(sum);
    return filled > 0 ? round(sum / filled) : null;
  };
  let [count, sum, filled] = [0, 0, 0];
  const groups = groupValues(field, counters).map((value) => {
    const c = Math.max(0, at(`${COUNTER_PREFIX}${value}`));
    const s = metric.kind === 'count' ? 0 : at(sumAttribute(metric.field, value));
    const f = metric.kind === 'count' ? 0 : at(filledAttribute(metric.field, value));
    [count, sum, filled] = [count + c, sum + s, filled + f];
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
