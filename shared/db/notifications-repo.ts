import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { notificationKeys, subjectPartition } from './keys.js';
import { putQuotes, quotePut } from './quotes.js';
import type { TransactItem } from './transact.js';
import { queryPage } from './query.js';

/** In-app notifications are kept this long, then DynamoDB TTL removes them. */
export const NOTIFICATION_TTL_SECONDS = 180 * 24 * 60 * 60;

export interface NotificationInput {
  /** The recipient. */
  userId: string;
  /** The event that caused it: one notification per (event, recipient), however often the event is delivered. */
  eventId: string;
  occurredAt: string;
  kind: string;
  title: string;
  body: string;
  /** What the notification is about, for the front-end to link to. */
  subject: { type: string; id: string; module?: string };
}

export interface NotificationItem extends NotificationInput {
  entity: 'Notification';
  id: string;
  read: boolean;
  expiresAt: number;
}

export const toNotificationView = (item: NotificationItem) => ({
  id: item.id,
  kind: item.kind,
  title: item.title,
  body: item.body,
  subject: item.subject,
  read: item.read,
  createdAt: item.occurredAt,
});

const notificationItem = (input: NotificationInput) => {
  const item: NotificationItem = {
    ...input,
    entity: 'Notification',
    id: input.eventId,
    read: false,
    expiresAt: Math.floor(new Date(input.occurredAt).getTime() / 1000) + NOTIFICATION_TTL_SECONDS,
  };
  return {
    ...notificationKeys.key(input.userId, input.occurredAt, input.eventId),
    ...item,
    // Found by id (mark read) and listed while unread (mark all read): shared/db/notification-reads.ts.
    GSI2PK: notificationKeys.byIdPartition(input.userId),
    GSI2SK: input.eventId,
    GSI3PK: notificationKeys.unreadPartition(input.userId),
    GSI3SK: `${input.occurredAt}#${input.eventId}`,
  };
};

/**
 * Writes the notification unless this event already did (redeliveries change nothing); true if written.
 * Its text is usually written from its subject's values: the subject's quote goes first, so an erasure
 * of the subject finds it (shared/db/quotes.ts).
 */
export const putNotification = async (deps: AppDeps, input: NotificationInput): Promise<boolean> => {
  const quoted = subjectPartition(input.subject);
  if (quoted) await putQuotes(deps, [quoted], notificationKeys.key(input.userId, input.occurredAt, input.eventId));
  try {
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: notificationItem(input), ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * The notification (and its subject's quote) as part of the writing command's own transaction: it exists
 * exactly when the change that tells of it does (an approval's reminder and its "reminded" entry).
 */
export const notificationPuts = (deps: AppDeps, input: NotificationInput): TransactItem[] => {
  const quoted = subjectPartition(input.subject);
  return [
    ...(quoted ? [quotePut(deps.tableName, quoted, notificationKeys.key(input.userId, input.occurredAt, input.eventId))] : []),
    { Put: { TableName: deps.tableName, Item: notificationItem(input), ConditionExpression: 'attribute_not_exists(PK)' } },
  ];
};

/** The caller's notifications, newest first. */
export const listNotifications = async (deps: AppDeps, userId: string, limit: number, cursor?: string) => {
  const page = await queryPage<NotificationItem>(
    deps,
    { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': notificationKeys.partition(userId) }, ScanIndexForward: false },
    limit,
    cursor,
  );
  return { items: page.items.map(toNotificationView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};
