import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { BadRequest } from '../http/errors.js';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

export const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new BadRequest('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor this API returned' }]);
};

/**
 * Reads one page of a Query. With a FilterExpression DynamoDB may return short pages, so this keeps
 * reading (bounded) until `limit` items match or the partition is exhausted.
 */
export const queryPage = async <T>(
  deps: AppDeps,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  cursor?: string,
  maxReads = 10,
): Promise<Page<T>> => {
  const items: T[] = [];
  let startKey = decodeCursor(cursor);
  for (let read = 0; read < maxReads; read++) {
    const res = await deps.db.send(
      new QueryCommand({ ...input, TableName: deps.tableName, Limit: limit - items.length, ExclusiveStartKey: startKey }),
    );
    items.push(...((res.Items ?? []) as T[]));
    startKey = res.LastEvaluatedKey;
    if (!startKey || items.length >= limit) break;
  }
  const nextCursor = encodeCursor(startKey);
  return nextCursor ? { items, nextCursor } : { items };
};

/** Reads every item of a (small, bounded) partition. */
export const queryAll = async <T>(
  deps: AppDeps,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<T[]> => {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await deps.db.send(new QueryCommand({ ...input, TableName: deps.tableName, ExclusiveStartKey: startKey }));
    items.push(...((res.Items ?? []) as T[]));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return items;
};
