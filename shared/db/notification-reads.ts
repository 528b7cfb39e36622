import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { notificationKeys, type Key } from './keys.js';
import { toNotificationView, type NotificationItem } from './notifications-repo.js';
import { queryAll } from './query.js';
import { NotFound } from '../domain/errors.js';

/** Mark-all-read handles at most this many per call; the answer says whether more remain. */
export const READ_ALL_BATCH = 500;

/**
 * The key of one of the recipient's notifications: by id on GSI2; a notification written a moment
 * ago (the index is eventually consistent) is found in the recipient's own partition.
 */
const findKey = async (deps: AppDeps, userId: string, id: string): Promise<Key | undefined> => {
  const byId = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK = :id',
      ExpressionAttributeValues: { ':pk': notificationKeys.byIdPartition(userId), ':id': id },
      ProjectionExpression: 'PK, SK',
    }),
  );
  const hit = byId.Items?.[0] as Key | undefined;
  if (hit) return hit;
  const own = await queryAll<Key>(deps, {
    KeyConditionExpression: 'PK = :pk',
    FilterExpression: 'id = :id',
    ExpressionAttributeValues: { ':pk': notificationKeys.partition(userId), ':id': id },
    ProjectionExpression: 'PK, SK',
    ConsistentRead: true,
  });
  return own[0];
};

const markKeyRead = async (deps: AppDeps, key: Key, at: string): Promise<NotificationItem | undefined> => {
  try {
    const res = await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: key,
        UpdateExpression: 'SET #read = :true, readAt = if_not_exists(readAt, :at) REMOVE GSI3PK, GSI3SK',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':true': true, ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes as NotificationItem;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined; // expired (TTL) meanwhile
    throw error;
  }
};

/**
 * Marks one of the caller's notifications read (idempotent).
 * Steps: find it among the caller's own (another user's id is simply not found: 404) → set read.
 */
export const markNotificationRead = async (deps: AppDeps, userId: string, id: string) => {
  const key = await findKey(deps, userId, id);
  const item = key && (await markKeyRead(deps, key, deps.clock().toISOString()));
  if (!item) throw new NotFound(`No notification ${id}`);
  return toNotificationView(item);
};

/**
 * Marks the caller's unread notifications read, oldest first, up to READ_ALL_BATCH per call.
 * Steps: list unread from the sparse GSI3 → mark each → `more` if the batch was full.
 */
export const markAllNotificationsRead = async (deps: AppDeps, userId: string): Promise<{ marked: number; more: boolean }> => {
  const res = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :pk',
      ExpressionAttributeValues: { ':pk': notificationKeys.unreadPartition(userId) },
      ProjectionExpression: 'PK, SK',
      Limit: READ_ALL_BATCH,
    }),
  );
  const keys = (res.Items ?? []) as Key[];
  const at = deps.clock().toISOString();
  let marked = 0;
  for (let i = 0; i < keys.length; i += 10) {
    const done = await Promise.all(keys.slice(i, i + 10).map((k) => markKeyRead(deps, { PK: k.PK, SK: k.SK }, at)));
    marked += done.filter(Boolean).length;
  }
  return { marked, more: res.LastEvaluatedKey !== undefined };
};
