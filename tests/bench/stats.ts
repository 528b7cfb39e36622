/** Nearest-rank percentile of a sample (ms). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
};

/** Median of a sample: the middle value, or the mean of the two middle values. */
export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};


/** Runs `total` tasks with at most `concurrency` in flight; returns each task's latency (ms). */
export const runConcurrent = async (total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> => {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const started = performance.now();
      await task(i);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
};

/**
 * One row of the bench table: latency of an operation, its DynamoDB round trips, and its ratio to its
 * DynamoDB calls, measured one of two ways (`baseline`):
 * - `paired`: in each sample, the time its own calls were in flight (dynamo-meter.ts `pairedSample`);
 *   `rawP50` is the p50 of those times and `ratio` the p50 of the per-sample ratios;
 * - `replay`: the first sample's calls replayed bare afterwards at the same concurrency; `ratio` is
 *   `p50 ÷ rawP50`. A replayed conditional write fails its condition and writes nothing, so for writes
 *   this baseline is cheaper than the real calls.
 */
export interface BenchRow {
  operation: string;
  concurrency: number;
  p50: number;
  p99: number;
  roundTrips: string;
  baseline: 'paired' | 'replay';
  rawP50: number;
  ratio: number;
  /** Paired rows: p50 of each sample's latency less its DynamoDB time (what Keiro adds, in ms). */
  ownP50?: number;
  /** Paired rows whose calls only read: the first sample's calls replayed bare afterwards, p50 (information). */
  replayP50?: number;
}
