import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { retrier, type RetryBudget } from './backoff.js';
import type { Key } from './keys.js';

/** BatchWriteItem takes at most this many puts and deletes per call. */
export const BATCH_WRITE_LIMIT = 25;

/** One unconditional write of a batch (BatchWriteItem has no conditions: use it only where last-writer-wins is right). */
export type BatchWriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

/** Items DynamoDB left unprocessed (throttling) are asked again with jittered backoff, for up to about 20 s. */
const UNPROCESSED_BUDGET: RetryBudget = { maxAttempts: 12, baseMs: 50, capMs: 2_000, maxElapsedMs: 20_000 };

/** Writes one batch (at most 25 requests, each key once), re-sending what DynamoDB left unprocessed. */
const writeBatch = async (deps: AppDeps, requests: BatchWriteRequest[]): Promise<void> => {
  const retries = retrier(UNPROCESSED_BUDGET);
  let pending = requests;
  while (pending.length > 0) {
    const res = await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.tableName]: pending } }));
    pending = (res.UnprocessedItems?.[deps.tableName] ?? []) as BatchWriteRequest[];
    if (pending.length > 0 && !(await retries.retry())) throw new Error(`DynamoDB left ${pending.length} batch writes unprocessed after ${retries.attempts} attempts`);
  }
};

/**
 * Writes requests handed in over time, 25 to a BatchWriteItem call: `add` sends a full batch at once
 * (its caller waits for it), `flush` sends the rest. A key must not appear twice in one batch.
 */
export const batchWriter = (deps: AppDeps) => {
  const pending: BatchWriteRequest[] = [];
  return {
    add: async (...requests: BatchWriteRequest[]): Promise<void> => {
      pending.push(...requests);
      while (pending.length >= BATCH_WRITE_LIMIT) await writeBatch(deps, pending.splice(0, BATCH_WRITE_LIMIT));
    },
    flush: async (): Promise<void> => {
      while (pending.length > 0) await writeBatch(deps, pending.splice(0, BATCH_WRITE_LIMIT));
    },
  };
};

/** Writes all `requests` in batches of 25, `parallel` batches at a time. */
export const batchWrite = async (deps: AppDeps, requests: readonly BatchWriteRequest[], parallel = 1): Promise<void> => {
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const start = next;
      next += BATCH_WRITE_LIMIT;
      await writeBatch(deps, requests.slice(start, start + BATCH_WRITE_LIMIT));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane));
};
