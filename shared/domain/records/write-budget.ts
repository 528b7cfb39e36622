import type { FieldDefinition } from './module-definition.js';

/** DynamoDB's limit on the items one TransactWriteItems may touch. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Items beyond the fields: the record, its history entry, the Idempotency-Key mark of the request,
 * and a team module request's locator and entries.
 */
const BASE_ITEMS = 3;
const TEAM_MODULE_ITEMS = 4;

/** Worst case per field of one record write (a value replaced: old index item deleted, new one put). */
const itemsPerField = (field: FieldDefinition): number => {
  let items = 0;
  if (field.type === 'phone' || field.type === 'email') items += 2; // lookup item out and in
  if (field.unique) items += 2; // unique guard out and in
  if (field.type === 'lookup') items += 3; // reverse reference out and in, and the target's existence check
  if (field.type === 'user') items += 1; // the user's existence check
  if (field.type === 'picklist') items += 3; // kanban group item out and in, and the counter update
  return items;
};

/** The most items one create, patch or delete of a record of this module can touch. */
export const worstCaseWriteItems = (fields: readonly FieldDefinition[], isTeamModule: boolean): number =>
  BASE_ITEMS + (isTeamModule ? TEAM_MODULE_ITEMS : 0) + fields.reduce((sum, field) => sum + itemsPerField(field), 0);
