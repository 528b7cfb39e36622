/** One event of a stream batch and the partition key of the item that carried it. */
export interface KeyedItem<T> {
  key: string;
  item: T;
}

export interface KeyedDelivery<T> {
  /**
   * Hands over a batch; resolves once every item of it was delivered, or rejects with the first failure
   * once every other item of the batch is done (so the caller saves no position past an event the bus
   * did not take). Batches may overlap: a later batch's items of a key wait for the earlier ones.
   */
  submit: (batch: ReadonlyArray<KeyedItem<T>>) => Promise<void>;
}

/**
 * Delivers as a DynamoDB stream and EventBridge would: items of one key strictly in order (a stream is
 * ordered per item's partition key), items of different keys concurrently, at most `concurrency` at a
 * time. A failed item stops its key: the key's later items fail with it, unsent, since they would
 * overtake it (the caller re-reads them); the other keys go on.
 */
export const keyedDelivery = <T>(concurrency: number, deliver: (item: T) => Promise<unknown>): KeyedDelivery<T> => {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`The delivery concurrency must be a positive integer, got ${concurrency}`);
  /** Each key's last item handed over: the next one of the key starts after it. */
  const tails = new Map<string, Promise<void>>();
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async () => {
    if (running < concurrency) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over as it is
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  const one = (key: string, item: T): Promise<void> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(async () => {
      await slot();
      try {
        await deliver(item);
      } finally {
        release();
      }
    });
    tails.set(key, run);
    const forget = () => {
      if (tails.get(key) === run) tails.delete(key);
    };
    run.then(forget, forget);
    return run;
  };

  return {
    submit: async (batch) => {
      const outcomes = await Promise.allSettled(batch.map(({ key, item }) => one(key, item)));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
};
