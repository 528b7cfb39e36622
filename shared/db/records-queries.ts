import type { AppDeps } from '../adapters/deps.js';
import { recordKeys } from './keys.js';
import { toHistoryView } from './history.js';
import { historyPage } from './history-page.js';
import { queryPage, type Page } from './query.js';
import type { RecordItem } from './records-repo.js';

export interface ListOptions {
  limit: number;
  cursor?: string;
  /** Equality on field values (strings, numbers, booleans). */
  filters: Record<string, string | number | boolean>;
  ownerId?: string;
  order: 'asc' | 'desc';
}

/** A module's records by updatedAt (GSI1), with equality filters applied by DynamoDB. */
export const listRecords = async (deps: AppDeps, module: string, options: ListOptions): Promise<Page<RecordItem>> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': recordKeys.listPartition(module) };
  const conditions: string[] = [];
  Object.entries(options.filters).forEach(([field, value], i) => {
    names['#fields'] = 'fields';
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    conditions.push(`#fields.#f${i} = :f${i}`);
  });
  if (options.ownerId) {
    names['#owner'] = 'ownerId';
    values[':owner'] = options.ownerId;
    conditions.push('#owner = :owner');
  }
  return queryPage<RecordItem>(
    deps,
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ScanIndexForward: options.order === 'asc',
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
    options.limit,
    options.cursor,
  );
};

/** Newest first: who changed what, when, through which path and why. */
export const recordHistory = async (deps: AppDeps, module: string, id: string, limit: number, cursor?: string) => {
  const page = await historyPage(deps, recordKeys.key(module, id).PK, { limit, ...(cursor ? { cursor } : {}) });
  return { ...page, items: page.items.map(toHistoryView) };
};
