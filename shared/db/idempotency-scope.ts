import { AsyncLocalStorage } from 'node:async_hooks';
import type { Key } from './keys.js';
import type { TransactItem } from './transact.js';

/**
 * The idempotency key a request holds while its command runs. The command's first transaction marks
 * the key "committed" atomically with its own writes, so a retry after a crash between commit and
 * storing the response can tell "applied" from "never ran" and does not apply the command twice.
 */
export interface IdempotencyScope {
  tableName: string;
  key: Key;
  /** The lock this request holds; if another request took the key over, the mark fails. */
  lockedUntil: number;
  marked: boolean;
}

export const idempotencyScope = new AsyncLocalStorage<IdempotencyScope>();

/** The extra item a transaction carries while its request holds an unmarked idempotency key. */
export const idempotencyMark = (): { item: TransactItem; scope: IdempotencyScope } | undefined => {
  const scope = idempotencyScope.getStore();
  if (!scope || scope.marked) return undefined;
  return {
    scope,
    item: {
      Update: {
        TableName: scope.tableName,
        Key: scope.key,
        UpdateExpression: 'SET committed = :committed',
        ConditionExpression: 'lockedUntil = :mine',
        ExpressionAttributeValues: { ':committed': true, ':mine': scope.lockedUntil },
      },
    },
  };
};
