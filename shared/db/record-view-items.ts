import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { decimalOf, formatDecimal, isZero, negate, sumDecimals, type Decimal } from '../domain/records/decimal.js';
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

const ONE = decimalOf(1);

const addDelta = (deltas: Map<string, Decimal>, attribute: string, delta: Decimal) => {
  const current = deltas.get(attribute);
  deltas.set(attribute, current ? sumDecimals([current, delta]) : delta);
};

/**
 * Attribute → delta (exact decimal text) for one picklist field's counter item. `before` is absent on
 * create, `after` on delete. Deltas are exact decimals, not doubles: a value moving from -(2^53 - 1)
 * to 2^53 - 1 is a delta no double holds, and 0.3 - 0.1 must add 0.2, not 0.19999999999999998.
 */
export const counterDeltas = (
  picklist: FieldDefinition,
  numberFields: readonly FieldDefinition[],
  before: FieldValues | undefined,
  after: FieldValues | undefined,
): Map<string, string> => {
  const deltas = new Map<string, Decimal>();
  const sides: Array<[FieldValues | undefined, (d: Decimal) => Decimal]> = [
    [before, negate],
    [after, (d) => d],
  ];
  for (const [values, sign] of sides) {
    if (values === undefined) continue;
    const value = bucket(values[picklist.name]);
    addDelta(deltas, `${COUNTER_PREFIX}${value}`, sign(ONE));
    for (const field of numberFields) {
      const n = values[field.name];
      if (typeof n !== 'number' || !Number.isFinite(n)) continue;
      addDelta(deltas, sumAttribute(field.name, value), sign(decimalOf(n)));
      addDelta(deltas, filledAttribute(field.name, value), sign(ONE));
    }
  }
  return new Map([...deltas].filter(([, delta]) => !isZero(delta)).map(([attribute, delta]) => [attribute, formatDecimal(delta)]));
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
      const values: Record<string, NumberValue> = {};
      const adds = [...deltas].map(([attribute, delta], i) => {
        names[`#v${i}`] = attribute;
        // Decimal text on the wire: DynamoDB adds it exactly (up to 38 digits).
        values[`:d${i}`] = NumberValue.from(delta);
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
