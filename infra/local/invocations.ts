import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One Lambda invocation as the local cloud runs it in-process: the function, named by its CDK
 * `serviceName` (`keiro-<area>`, `keiro-<consumer>`) or, for a state machine's task, by the key of the
 * local handler that serves it; how long the handler took; for an API call, the request's
 * X-Correlation-Id; and the DynamoDB units its calls consumed, when a meter adds them (`currentInvocation`).
 * The bench bills these (tests/bench/bill.ts).
 */
export interface LocalInvocation {
  fn: string;
  ms: number;
  correlationId?: string;
  readUnits: number;
  writeUnits: number;
}

export type InvocationListener = (invocation: LocalInvocation) => void;

const scope = new AsyncLocalStorage<LocalInvocation>();

/** The invocation whose handler is running here (only while a listener is timing it). */
export const currentInvocation = (): LocalInvocation | undefined => scope.getStore();

/** Runs `work` as an invocation of `fn` and tells `listener` (if any) about it, whether it answered or threw. */
export const timedInvocation = async <T>(listener: InvocationListener | undefined, fn: string, work: () => Promise<T>, correlationId?: string): Promise<T> => {
  if (!listener) return work();
  const invocation: LocalInvocation = { fn, ms: 0, readUnits: 0, writeUnits: 0, ...(correlationId ? { correlationId } : {}) };
  const started = performance.now();
  try {
    return await scope.run(invocation, work);
  } finally {
    invocation.ms = performance.now() - started;
    listener(invocation);
  }
};
