import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { Key } from './keys.js';
import { GSIS, TABLE_KEY } from './table-definition.js';
import { Invalid } from '../domain/errors.js';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

const invalidCursor = () => new Invalid('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor this API returned' }]);

/**
 * A cursor is the base64url JSON of a DynamoDB LastEvaluatedKey: a flat object of key attributes,
 * all of them non-empty strings in this table. Anything else (a forged or truncated cursor) is a 400,
 * never passed on to DynamoDB, which would reject it with a ValidationException (a 500).
 */
export const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidCursor();
  const entries = Object.entries(parsed);
  if (entries.length < 2 || entries.length > 4 || !entries.every(([, v]) => typeof v === 'string' && v.length > 0 && v.length <= 2048)) throw invalidCursor();
  return parsed as Record<string, unknown>;
};

/** The partition attribute and value of a Query (`X = :pk …`), to bind a cursor to the list it came from. */
const partitionOf = (input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>): [string, unknown] | undefined => {
  const attribute = /^\s*([A-Za-z0-9_]+)\s*=\s*:pk\b/.exec(input.KeyConditionExpression ?? '')?.[1];
  return attribute ? [attribute, input.ExpressionAttributeValues?.[':pk']] : undefined;
};

const isValidationError = (error: unknown): boolean => error instanceof Error && error.name === 'ValidationException';

/** The key attributes DynamoDB puts in a LastEvaluatedKey for a Query of the table or of one of its GSIs. */
const keyAttributes = (indexName: string | undefined): string[] => {
  const gsi = GSIS.find((g) => g.indexName === indexName);
  return [TABLE_KEY.partitionKey, TABLE_KEY.sortKey, ...(gsi ? [gsi.partitionKey, gsi.sortKey] : [])];
};

/**
 * Reads one page of a Query. It asks for one item more than `limit`: a `nextCursor` is given only when
 * that item exists, so the page after it is never empty (the cursor is the key of the page's last
 * item, as DynamoDB's own LastEvaluatedKey would be). With a FilterExpression DynamoDB may return short
 * pages, so this keeps reading (bounded by `maxReads`) until `limit + 1` items match or the partition
 * is exhausted; only when that bound is hit does the cursor point past items not yet examined.
 */
export const queryPage = async <T>(
  deps: AppDeps,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  cursor?: string,
  maxReads = 10,
): Promise<Page<T>> => {
  const items: T[] = [];
  const wanted = limit + 1;
  let startKey = decodeCursor(cursor);
  const partition = partitionOf(input);
  // A cursor of another list (another partition, index or user) is not this list's cursor.
  if (startKey && partition && startKey[partition[0]] !== partition[1]) throw invalidCursor();
  for (let read = 0; read < maxReads; read++) {
    let res;
    try {
      res = await deps.db.send(new QueryCommand({ ...input, TableName: deps.tableName, Limit: wanted - items.length, ExclusiveStartKey: startKey }));
    } catch (error) {
      // Only the caller's cursor can make a well-formed Query invalid (e.g. a key outside the range condition).
      if (read === 0 && cursor && isValidationError(error)) throw invalidCursor();
      throw error;
    }
    items.push(...((res.Items ?? []) as T[]));
    startKey = res.LastEvaluatedKey;
    if (!startKey || items.length >= wanted) break;
  }
  if (items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1] as Record<string, unknown>;
    const key = Object.fromEntries(keyAttributes(input.IndexName).map((name) => [name, last[name]]));
    return { items: page, nextCursor: encodeCursor(key) as string };
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

/** BatchGetItem takes at most this many keys per call. */
const BATCH_GET_LIMIT = 100;

/**
 * Reads items by key in batches of 100, re-asking for what DynamoDB left unprocessed. Keys must be
 * distinct (BatchGetItem refuses duplicates); missing items are simply absent, in no particular order.
 * `consistent` makes every read strongly consistent (what a write or an access decision relies on).
 */
export const batchGet = async <T>(deps: AppDeps, keys: readonly Key[], consistent = false): Promise<T[]> => {
  const found: T[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_LIMIT);
    while (pending && pending.length > 0) {
      const res = await deps.db.send(new BatchGetCommand({ RequestItems: { [deps.tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } }));
      found.push(...((res.Responses?.[deps.tableName] ?? []) as T[]));
      pending = res.UnprocessedKeys?.[deps.tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
};
