/**
 * One Lambda invocation as the local cloud runs it in-process: the function, named by its CDK
 * `serviceName` (`keiro-<area>`, `keiro-<consumer>`) or, for a state machine's task, by the key of the
 * local handler that serves it; and how long the handler took. The bench bills these (tests/bench/bill.ts).
 */
export interface LocalInvocation {
  fn: string;
  ms: number;
}

export type InvocationListener = (invocation: LocalInvocation) => void;

/** Runs `work` and tells `listener` (if any) how long it took, whether it answered or threw. */
export const timedInvocation = async <T>(listener: InvocationListener | undefined, fn: string, work: () => Promise<T>): Promise<T> => {
  if (!listener) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    listener({ fn, ms: performance.now() - started });
  }
};
