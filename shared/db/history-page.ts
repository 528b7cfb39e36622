import type { AppDeps } from '../adapters/deps.js';
import { historyKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import { readHistoryItem, type HistoryItem, type StoredHistoryItem } from './history.js';

// Apart from history.ts, so what only builds or reads entries (the outbox enricher) reaches no Query.
/** One page of a subject's history (its partition's entries), newest first unless `oldestFirst`, read whole. */
export const historyPage = async (
  deps: AppDeps,
  subjectPK: string,
  page: { limit: number; cursor?: string; oldestFirst?: boolean; consistent?: boolean },
): Promise<Page<HistoryItem>> => {
  const read = await queryPage<StoredHistoryItem>(
    deps,
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hist)',
      ExpressionAttributeValues: { ':pk': subjectPK, ':hist': historyKeys.prefix },
      ScanIndexForward: page.oldestFirst === true,
      ...(page.consistent ? { ConsistentRead: true } : {}),
    },
    page.limit,
    page.cursor,
  );
  return { ...read, items: read.items.map(readHistoryItem) };
};
