import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { retrier, TRANSACTION_CONFLICT_BUDGET, type RetryBudget } from './backoff.js';
import { idempotencyMark } from './idempotency-scope.js';
import { Conflict } from '../domain/errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's transaction limit; commands that would touch more are split into events. */
export const MAX_TRANSACT_ITEMS = 100;

/** A transaction cancelled because a condition failed; `failedIndexes` point into the items given. */
export class ConditionFailed extends Error {
  constructor(readonly failedIndexes: number[]) {
    super(`Transaction condition failed at item(s) ${failedIndexes.join(', ')}`);
    this.name = 'ConditionFailed';
  }
}

/** A transaction cancelled because another in-flight transaction touched one of its items. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  ((error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') || error.message.includes('TransactionConflict'));

/** For writers that re-read on a lost race themselves: a conflicting transaction is surfaced at once, not retried as is. */
export const NO_CONFLICT_RETRY: RetryBudget = { maxAttempts: 1, baseMs: 0, capMs: 0, maxElapsedMs: 0 };

/**
 * One atomic write. A condition failure becomes `ConditionFailed` (the caller maps it to 404/409/412);
 * a conflict with another in-flight transaction is retried with jittered backoff, since the
 * conditions are re-evaluated on retry and so no update can be lost.
 */
export const transactWrite = async (deps: AppDeps, items: TransactItem[], budget: RetryBudget = TRANSACTION_CONFLICT_BUDGET): Promise<void> => {
  if (items.length === 0) return;
  // A request holding an Idempotency-Key marks it committed in its first transaction (see idempotency-scope).
  const mark = idempotencyMark();
  const all = mark ? [...items, mark.item] : items;
  if (all.length > MAX_TRANSACT_ITEMS) throw new Error(`A transaction takes at most ${MAX_TRANSACT_ITEMS} items, got ${all.length}`);
  const retries = retrier(budget);
  for (;;) {
    try {
      await deps.db.send(new TransactWriteCommand({ TransactItems: all }));
      if (mark) mark.scope.marked = true;
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (mark && failed.includes(items.length)) throw new Conflict('Another request with this Idempotency-Key took over; this one was not applied');
      if (failed.length > 0) throw new ConditionFailed(failed);
      if (!isTransactionConflict(error) || !(await retries.retry())) throw error;
    }
  }
};
