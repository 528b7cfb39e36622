import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { suppressionKeys } from './keys.js';
import type { TransactItem } from './transact.js';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

export interface SuppressionItem {
  PK: string;
  SK: string;
  entity: 'Suppression';
  address: string;
  reason: SuppressionReason;
  at: string;
  /** The cadence and record that led to it. */
  source?: { cadenceId: string; recordId: string };
}

/** The suppression of an address, if any (checked before every cadence email). */
export const getSuppression = async (deps: AppDeps, address: string): Promise<SuppressionItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: suppressionKeys.key(address), ConsistentRead: true }));
  return res.Item as SuppressionItem | undefined;
};

/** Suppresses an address (the first reason stays: a later bounce does not hide an unsubscribe). */
export const suppressionPut = (deps: AppDeps, address: string, reason: SuppressionReason, source?: SuppressionItem['source']): TransactItem => ({
  Update: {
    TableName: deps.tableName,
    Key: suppressionKeys.key(address),
    UpdateExpression: 'SET entity = if_not_exists(entity, :e), address = if_not_exists(address, :a), reason = if_not_exists(reason, :r), #at = if_not_exists(#at, :at)' + (source ? ', #src = if_not_exists(#src, :src)' : ''),
    ExpressionAttributeNames: { '#at': 'at', ...(source ? { '#src': 'source' } : {}) },
    ExpressionAttributeValues: { ':e': 'Suppression', ':a': address.toLowerCase(), ':r': reason, ':at': deps.clock().toISOString(), ...(source ? { ':src': source } : {}) },
  },
});
