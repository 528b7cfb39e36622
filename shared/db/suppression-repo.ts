import { addressDigest } from '../domain/records/erasure.js';
import type { AppDeps } from '../adapters/deps.js';
import { suppressionKeys } from './keys.js';
import { batchGet } from './query.js';
import type { TransactItem } from './transact.js';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

export interface SuppressionItem {
  PK: string;
  SK: string;
  entity: 'Suppression';
  /** SHA-256 of the lower-cased address (the key); items written before it carry `address` instead. */
  digest?: string;
  address?: string;
  reason: SuppressionReason;
  at: string;
  /** The cadence and record that led to it. */
  source?: { cadenceId: string; recordId: string };
}

/**
 * The suppression of an address, if any (checked before every cadence email): by its digest, or by the
 * address itself for an item written before digests (one round trip for both).
 */
export const getSuppression = async (deps: AppDeps, address: string): Promise<SuppressionItem | undefined> => (await getSuppressions(deps, [address])).get(address);

/** The suppressions of several addresses (each as getSuppression finds it), in one batch: address → suppression. */
export const getSuppressions = async (deps: AppDeps, addresses: readonly string[]): Promise<Map<string, SuppressionItem>> => {
  const unique = [...new Set(addresses)];
  if (unique.length === 0) return new Map();
  const keys = unique.flatMap((address) => [suppressionKeys.key(address), suppressionKeys.legacyKey(address)]);
  const items = await batchGet<SuppressionItem>(deps, keys.filter((k, i) => keys.findIndex((o) => o.PK === k.PK) === i), true);
  const byPK = new Map(items.map((item) => [item.PK, item]));
  const found = unique.flatMap((address): Array<[string, SuppressionItem]> => {
    const item = byPK.get(suppressionKeys.key(address).PK) ?? byPK.get(suppressionKeys.legacyKey(address).PK);
    return item ? [[address, item]] : [];
  });
  return new Map(found);
};

/** Suppresses an address (the first reason stays: a later bounce does not hide an unsubscribe). */
export const suppressionPut = (deps: AppDeps, address: string, reason: SuppressionReason, source?: SuppressionItem['source']): TransactItem => ({
  Update: {
    TableName: deps.tableName,
    Key: suppressionKeys.key(address),
    UpdateExpression: 'SET entity = if_not_exists(entity, :e), digest = if_not_exists(digest, :d), reason = if_not_exists(reason, :r), #at = if_not_exists(#at, :at)' + (source ? ', #src = if_not_exists(#src, :src)' : ''),
    ExpressionAttributeNames: { '#at': 'at', ...(source ? { '#src': 'source' } : {}) },
    ExpressionAttributeValues: { ':e': 'Suppression', ':d': addressDigest(address), ':r': reason, ':at': deps.clock().toISOString(), ...(source ? { ':src': source } : {}) },
  },
});
