import type { FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { normaliseForLookup } from '../domain/records/normalise.js';
import { lookupKeys, recordKeys, refKeys, uniqueKeys, userKeys } from './keys.js';
import { viewWrites } from './record-view-items.js';
import { relatedRecordQuotes } from './quotes.js';
import { taskIndexWrites } from './task-index.js';
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

export { COUNTER_PREFIX, EMPTY_BUCKET } from './record-view-items.js';

/**
 * The items derived from a record's fields that must change with it, in the same transaction:
 * lookup items (phone, email), unique guards, reverse references (related lists) with a check that the
 * referenced record/user exists, and the view items of record-view-items.ts (picklist counters and
 * sums, kanban group items, of the module's current view generation), and the quote of a related record
 * (shared/db/quotes.ts). `before` is absent on create,
 * `after` absent on delete.
 */
export const indexWrites = (
  tableName: string,
  module: ModuleMetadata,
  recordId: string,
  before: FieldValues | undefined,
  after: FieldValues | undefined,
  phoneRegion: string,
  /** What the record counts for in the views of the module's current generation (`fields` absent: not counted yet). */
  counted: { fields: FieldValues | undefined } = { fields: before },
): IndexWrite[] => {
  const writes: IndexWrite[] = [];
  // One transaction may touch an item once: two fields naming the same record or user share one check.
  const checked = new Set<string>();
  const firstCheck = (key: { PK: string; SK: string }): boolean => !checked.has(`${key.PK}|${key.SK}`) && Boolean(checked.add(`${key.PK}|${key.SK}`));
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
        if (firstCheck(recordKeys.key(target, newValue))) {
          writes.push({
            item: { ConditionCheck: { TableName: tableName, Key: recordKeys.key(target, newValue), ConditionExpression: 'attribute_exists(PK)' } },
            guard: { kind: 'lookupTarget', field: field.name, module: target },
          });
        }
        writes.push({
          item: { Put: { TableName: tableName, Item: { ...refKeys.key(target, newValue, module.name, field.name, recordId), entity: 'Ref', module: module.name, recordId, field: field.name } } },
        });
      }
    }

    if (field.type === 'user' && changed && typeof newValue === 'string' && firstCheck(userKeys.key(newValue))) {
      writes.push({
        item: { ConditionCheck: { TableName: tableName, Key: userKeys.key(newValue), ConditionExpression: 'attribute_exists(PK)' } },
        guard: { kind: 'userTarget', field: field.name },
      });
    }
  }
  writes.push(...viewWrites(tableName, module, recordId, counted.fields, after).map((item) => ({ item })));
  writes.push(...taskIndexWrites(tableName, module, recordId, before, after).map((item) => ({ item })));
  writes.push(...relatedRecordQuotes(tableName, module, recordId, before, after).map((item) => ({ item })));
  return writes;
};
