import type { AppDeps } from '../adapters/deps.js';
import type { HistoryItem } from './history.js';
import { requestKeys } from './keys.js';
import { toRequestHistoryView, type RequestHistoryView } from './requests-repo.js';
import type { TransactItem } from './transact.js';

/**
 * A copy of a request's history, so that a read of one request is ONE BatchGetItem (its locator, this
 * copy, its record and the caller's access) instead of a Query of its partition and then a batch. The
 * history entries themselves stay the truth (the outbox, one item each); the copy is an item beside the
 * locator (`requestKeys.historyCopy`) holding the API's view of each entry in a numbered slot (`h0`,
 * `h1`, …) and how many entries the request has (`count`), both written in the transaction that writes
 * the entries.
 *
 * Bounded by construction: at most HISTORY_COPY_SLOTS slots (each entry's comment is at most 4000
 * characters, so the item stays far below 400 KB however writers race), and a writer stops filling
 * slots once the copy holds HISTORY_COPY_BUDGET_BYTES. A writer fills the slots after the count it
 * read (no read-modify-write of a list), and always adds to the count. So the copy is complete exactly
 * when every slot below `count` is filled: two writers that raced for one slot leave a gap (they added
 * two to the count, filled one slot), and a request past the bound has a count beyond its slots. A copy
 * that is not complete (or a request written before copies) is never shown: its partition is read.
 */
export const HISTORY_COPY_SLOTS = 16;
export const HISTORY_COPY_BUDGET_BYTES = 32_000;

const slot = (i: number): string => `h${i}`;
const sizeOf = (view: RequestHistoryView): number => Buffer.byteLength(JSON.stringify(view));

/** What a writer needs to know of the copy as it read it: the count and the bytes its slots hold. */
export interface HistoryCopyState {
  count: number;
  bytes: number;
}

export interface HistoryCopy {
  state: HistoryCopyState;
  /** The whole history, oldest first, when the copy holds all of it; else undefined (read the partition). */
  entries: RequestHistoryView[] | undefined;
}

/** The copy as stored (absent for a request written before copies). */
export const historyCopyFromItem = (item: Record<string, unknown> | undefined): HistoryCopy | undefined => {
  const count = item?.count;
  if (!item || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return undefined;
  const filled = Array.from({ length: Math.min(count, HISTORY_COPY_SLOTS) }, (_, i) => item[slot(i)] as RequestHistoryView | undefined);
  const views = filled.filter((v): v is RequestHistoryView => v !== undefined);
  const bytes = views.reduce((sum, v) => sum + sizeOf(v), 0);
  const complete = count <= HISTORY_COPY_SLOTS && views.length === count;
  // Slots follow the order writers read the count in; the partition's order is (occurredAt, event id).
  const entries = complete ? [...views].sort((a, b) => (a.occurredAt === b.occurredAt ? (a.id < b.id ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1)) : undefined;
  return { state: { count, bytes }, entries };
};

/** The views to put in slots from `from` on: those that fit under the bounds (none once one does not). */
const slotted = (from: HistoryCopyState, entries: readonly HistoryItem[]): Array<[string, RequestHistoryView]> => {
  const out: Array<[string, RequestHistoryView]> = [];
  let bytes = from.bytes;
  for (const [i, entry] of entries.entries()) {
    const view = toRequestHistoryView(entry);
    bytes += sizeOf(view);
    if (from.count + i >= HISTORY_COPY_SLOTS || bytes > HISTORY_COPY_BUDGET_BYTES) break;
    out.push([slot(from.count + i), view]);
  }
  return out;
};

/** A new request's copy, with its first entries (in the transaction that submits it). */
export const historyCopyPut = (deps: AppDeps, id: string, module: string, entries: readonly HistoryItem[]): TransactItem => ({
  Put: {
    TableName: deps.tableName,
    Item: { ...requestKeys.historyCopy(id), entity: 'RequestHistoryCopy', module, count: entries.length, ...Object.fromEntries(slotted({ count: 0, bytes: 0 }, entries)) },
  },
});

/**
 * Adds a change's entries to the copy as `seen` when the request was read (in the transaction that writes
 * them). No copy was seen (a request written before copies): nothing, its reads keep reading the partition.
 */
export const historyCopyUpdate = (deps: AppDeps, id: string, seen: HistoryCopyState | undefined, entries: readonly HistoryItem[]): TransactItem[] => {
  if (!seen || entries.length === 0) return [];
  const slots = slotted(seen, entries);
  const names: Record<string, string> = { '#count': 'count', ...Object.fromEntries(slots.map(([name], i) => [`#s${i}`, name])) };
  const values: Record<string, unknown> = { ':n': entries.length, ...Object.fromEntries(slots.map(([, view], i) => [`:s${i}`, view])) };
  const set = slots.length > 0 ? `SET ${slots.map((_, i) => `#s${i} = :s${i}`).join(', ')} ` : '';
  return [{ Update: { TableName: deps.tableName, Key: requestKeys.historyCopy(id), UpdateExpression: `${set}ADD #count :n`, ExpressionAttributeNames: names, ExpressionAttributeValues: values } }];
};

/** A delete of one of a request's items, kept to this module's request (another module's id is left alone). */
export const requestItemDelete = (deps: AppDeps, key: Record<string, string>, module: string): TransactItem => ({
  Delete: {
    TableName: deps.tableName,
    Key: key,
    ConditionExpression: 'attribute_not_exists(PK) OR #m = :m',
    ExpressionAttributeNames: { '#m': 'module' },
    ExpressionAttributeValues: { ':m': module },
  },
});
