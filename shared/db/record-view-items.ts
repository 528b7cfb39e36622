import type { FieldValues } from '../domain/records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../domain/records/module-definition.js';
import { counterKeys, recordKeys } from './keys.js';
import type { TransactItem } from './transact.js';

/**
 * The items behind the kanban and chart views, changed in the record's own transaction:
 * - one counter item per (module, picklist field): `v:<value>` counts records per value; for each
 *   number field N, `s:<N>:<value>` sums N and `n:<N>:<value>` counts records with N filled in
 *   (so average = s / n). One Update per picklist field, whatever the number of number fields.
 * - one group item per (record, picklist field) in the value's group partition: a kanban column
 *   lists its records from there (newest first by ULID) without reading the rest of the module.
 */

/** Value used for a picklist counter when the field is empty. */
export const EMPTY_BUCKET = '(none)';

/** Counter items hold one attribute per picklist value, named with this prefix. */
export const COUNTER_PREFIX = 'v:';
export const SUM_PREFIX = 's:';
export const FILLED_PREFIX = 'n:';

export const sumAttribute = (numberField: string, value: string): string => `${SUM_PREFIX}${numberField}:${value}`;
export const filledAttribute = (numberField: string, value: string): string => `${FILLED_PREFIX}${numberField}:${value}`;

export const bucket = (value: unknown): string => (typeof value === 'string' && value.length > 0 ? value : EMPTY_BUCKET);

export const isNumberField = (field: FieldDefinition): boolean => field.type === 'number' || field.type === 'currency' || field.type === 'percent';

const decimals = (n: number): number | undefined => {
  const text = String(n);
  if (text.includes('e')) return undefined;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
};

/** a + b without binary floating-point noise for decimal inputs (0.3 - 0.1 is 0.2, not 0.19999999999999998). */
export const addDecimal = (a: number, b: number): number => {
  const da = decimals(a);
  const db = decimals(b);
  if (da === undefined || db === undefined || Math.max(da, db) > 12) return a + b;
  const scale = 10 ** Math.max(da, db);
  return (Math.round(a * scale) + Math.round(b * scale)) / scale;
};

const addDelta = (deltas: Map<string, number>, attribute: string, delta: number) => deltas.set(attribute, addDecimal(deltas.get(attribute) ?? 0, delta));

/** Attribute → delta for one picklist field's counter item. `before` is absent on create, `after` on delete. */
export const counterDeltas = (
  picklist: FieldDefinition,
  numberFields: readonly FieldDefinition[],
  before: FieldValues | undefined,
  after: FieldValues | undefined,
): Map<string, number> => {
  const deltas = new Map<string, number>();
  const sides: Array<[FieldValues | undefined, number]> = [
    [before, -1],
    [after, 1],
  ];
  for (const [values, sign] of sides) {
    if (values === undefined) continue;
    const value = bucket(values[picklist.name]);
    addDelta(deltas, `${COUNTER_PREFIX}${value}`, sign);
    for (const field of numberFields) {
      const n = values[field.name];
      if (typeof n !== 'number') continue;
      addDelta(deltas, sumAttribute(field.name, value), sign * n);
      addDelta(deltas, filledAttribute(field.name, value), sign);
    }
  }
  for (const [attribute, delta] of deltas) if (delta === 0) deltas.delete(attribute);
  return deltas;
};

/**
 * The view generation a module's views are kept in: the version of its definition. A definition change
 * starts a new generation, which the view backfill fills for the records written before it.
 */
export const viewGeneration = (module: Pick<ModuleMetadata, 'version'>): number => module.version;

/** The generation whose views count a record: stamped on it at each write (absent: the first). */
export const recordViewGeneration = (record: { viewGen?: number }): number => record.viewGen ?? 1;

/**
 * The counter Update and group-item moves for every picklist field of the module, in its current view
 * generation. `before` must be what the record counts for in that generation (absent when it is not
 * counted there yet: then its full contribution is added).
 */
export const viewWrites = (
  tableName: string,
  module: ModuleMetadata,
  recordId: string,
  before: FieldValues | undefined,
  after: FieldValues | undefined,
): TransactItem[] => {
  const writes: TransactItem[] = [];
  const generation = viewGeneration(module);
  const numberFields = module.fields.filter(isNumberField);
  for (const field of module.fields) {
    if (field.type !== 'picklist') continue;
    const deltas = counterDeltas(field, numberFields, before, after);
    if (deltas.size > 0) {
      // One top-level number attribute per value, so ADD creates it on first use.
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const adds = [...deltas].map(([attribute, delta], i) => {
        names[`#v${i}`] = attribute;
        values[`:d${i}`] = delta;
        return `#v${i} :d${i}`;
      });
      writes.push({
        Update: {
          TableName: tableName,
          Key: counterKeys.key(module.name, field.name, generation),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    const oldGroup = before === undefined ? undefined : bucket(before[field.name]);
    const newGroup = after === undefined ? undefined : bucket(after[field.name]);
    if (oldGroup === newGroup) continue;
    if (oldGroup !== undefined) writes.push({ Delete: { TableName: tableName, Key: recordKeys.groupItem(module.name, field.name, oldGroup, recordId, generation) } });
    if (newGroup !== undefined) {
      writes.push({
        Put: { TableName: tableName, Item: { ...recordKeys.groupItem(module.name, field.name, newGroup, recordId, generation), entity: 'RecordGroup', module: module.name, field: field.name, recordId } },
      });
    }
  }
  return writes;
};
