import type { FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { normaliseForLookup } from '../domain/records/normalise.js';
import { counterKeys, lookupKeys, recordKeys, refKeys, uniqueKeys, userKeys } from './keys.js';
import type { TransactItem } from './transact.js';

/** Why a derived item's condition can fail: lets the caller report the right field. */
export type IndexGuard =
  | { kind: 'unique'; field: string }
  | { kind: 'lookupTarget'; field: string; module: string }
  | { kind: 'userTarget'; field: string };

export interface IndexWrite {
  item: TransactItem;
  guard?: IndexGuard;
}

/** Value used for a picklist counter when the field is empty. */
export const EMPTY_BUCKET = '(none)';

/** Counter items hold one attribute per picklist value, named with this prefix. */
export const COUNTER_PREFIX = 'v:';

const bucket = (value: unknown): string => (typeof value === 'string' && value.length > 0 ? value : EMPTY_BUCKET);

/**
 * The items derived from a record's fields that must change with it, in the same transaction:
 * lookup items (phone, email), unique guards, reverse references (related lists) with a check that the
 * referenced record/user exists, and picklist counters (kanban counts). `before` is absent on create,
 * `after` absent on delete.
 */
export const indexWrites = (
  tableName: string,
  module: ModuleMetadata,
  recordId: string,
  before: FieldValues | undefined,
  after: FieldValues | undefined,
  phoneRegion: string,
): IndexWrite[] => {
  const writes: IndexWrite[] = [];
  for (const field of module.fields) {
    const oldValue = before?.[field.name];
    const newValue = after?.[field.name];
    const changed = JSON.stringify(oldValue ?? null) !== JSON.stringify(newValue ?? null);

    if (field.type === 'phone' || field.type === 'email') {
      const oldNorm = normaliseForLookup(field.type, oldValue, phoneRegion);
      const newNorm = normaliseForLookup(field.type, newValue, phoneRegion);
      if (oldNorm !== newNorm) {
        if (oldNorm) writes.push({ item: { Delete: { TableName: tableName, Key: lookupKeys.key(module.name, field.name, oldNorm, recordId) } } });
        if (newNorm) {
          writes.push({
            item: { Put: { TableName: tableName, Item: { ...lookupKeys.key(module.name, field.name, newNorm, recordId), entity: 'Lookup', module: module.name, recordId } } },
          });
        }
      }
    }

    if (field.unique) {
      const oldNorm = normaliseForLookup(field.type, oldValue, phoneRegion);
      const newNorm = normaliseForLookup(field.type, newValue, phoneRegion);
      if (oldNorm !== newNorm) {
        if (oldNorm) writes.push({ item: { Delete: { TableName: tableName, Key: uniqueKeys.key(module.name, field.name, oldNorm) } } });
        if (newNorm) {
          writes.push({
            item: {
              Put: {
                TableName: tableName,
                Item: { ...uniqueKeys.key(module.name, field.name, newNorm), entity: 'Unique', recordId },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            guard: { kind: 'unique', field: field.name },
          });
        }
      }
    }

    if (field.type === 'lookup' && field.lookupModule && changed) {
      const target = field.lookupModule;
      if (typeof oldValue === 'string') writes.push({ item: { Delete: { TableName: tableName, Key: refKeys.key(target, oldValue, module.name, field.name, recordId) } } });
      if (typeof newValue === 'string') {
        writes.push({
          item: { ConditionCheck: { TableName: tableName, Key: recordKeys.key(target, newValue), ConditionExpression: 'attribute_exists(PK)' } },
          guard: { kind: 'lookupTarget', field: field.name, module: target },
        });
        writes.push({
          item: { Put: { TableName: tableName, Item: { ...refKeys.key(target, newValue, module.name, field.name, recordId), entity: 'Ref', module: module.name, recordId, field: field.name } } },
        });
      }
    }

    if (field.type === 'user' && changed && typeof newValue === 'string') {
      writes.push({
        item: { ConditionCheck: { TableName: tableName, Key: userKeys.key(newValue), ConditionExpression: 'attribute_exists(PK)' } },
        guard: { kind: 'userTarget', field: field.name },
      });
    }

    if (field.type === 'picklist' && (before === undefined || after === undefined || changed)) {
      const deltas = new Map<string, number>();
      if (before !== undefined) deltas.set(bucket(oldValue), (deltas.get(bucket(oldValue)) ?? 0) - 1);
      if (after !== undefined) deltas.set(bucket(newValue), (deltas.get(bucket(newValue)) ?? 0) + 1);
      const effective = [...deltas].filter(([, d]) => d !== 0);
      if (effective.length > 0) {
        // One top-level number attribute per value ("v:<value>"), so ADD creates it on first use.
        const names: Record<string, string> = {};
        const values: Record<string, number> = {};
        const adds = effective.map(([value, delta], i) => {
          names[`#v${i}`] = `${COUNTER_PREFIX}${value}`;
          values[`:d${i}`] = delta;
          return `#v${i} :d${i}`;
        });
        writes.push({
          item: {
            Update: {
              TableName: tableName,
              Key: counterKeys.key(module.name, field.name),
              UpdateExpression: `ADD ${adds.join(', ')}`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
        });
      }
    }
  }
  return writes;
};
