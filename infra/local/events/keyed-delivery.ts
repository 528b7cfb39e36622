/** One event of a stream batch and the partition key of the item that carried it. */
export interface KeyedItem<T> {
  key: string;
  item: T;
}

/**
 * Delivers a batch as a DynamoDB stream and EventBridge would: items of one key strictly in order
 * (a stream is ordered per item's partition key), items of different keys concurrently, at most
 * `concurrency` at a time. A failed item stops its key (the later items of that key would overtake
 * it), while the other keys go on. Resolves once every key is done; rejects with the first failure
 * after that, so the caller saves no position past an event the bus did not take.
 */
export const deliverByKey = async <T>(batch: ReadonlyArray<KeyedItem<T>>, concurrency: number, deliver: (item: T) => Promise<unknown>): Promise<void> => {
  const byKey = new Map<string, T[]>();
  for (const { key, item } of batch) {
    const lane = byKey.get(key);
    if (lane) lane.push(item);
    else byKey.set(key, [item]);
  }
  const lanes = [...byKey.values()];
  const failures: unknown[] = [];
  const worker = async () => {
    for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
      try {
        for (const item of lane) await deliver(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, lanes.length)) }, worker));
  if (failures.length > 0) throw failures[0];
};
