import { AsyncLocalStorage, createHook, type AsyncHook } from 'node:async_hooks';

/**
 * One Lambda invocation as the local cloud runs it in-process: the function, named by its CDK
 * `serviceName` (`keiro-<area>`, `keiro-<consumer>`) or, for a state machine's task, by the key of the
 * local handler that serves it; how long the handler took (wall time) and how much CPU its own code
 * used; for an API call, the request's X-Correlation-Id; and, when meters add them
 * (`currentInvocation`), the DynamoDB units its calls consumed and how many AWS API calls it made.
 * The bench bills these (tests/bench/bill.ts).
 */
export interface LocalInvocation {
  fn: string;
  /** Wall time from the handler's start to its answer: on a loaded machine, mostly waiting for a core. */
  ms: number;
  /**
   * Process CPU time (user + system) while this invocation's code ran: its synchronous start and every
   * callback in its async context. Other invocations running meanwhile are not counted in it, nor is
   * waiting for I/O or for a core, so a loaded machine hardly moves it.
   */
  cpuMs: number;
  correlationId?: string;
  readUnits: number;
  writeUnits: number;
  /** AWS API calls (DynamoDB, SES, Step Functions starts) the meters saw it make. */
  awsCalls: number;
}

export type InvocationListener = (invocation: LocalInvocation) => void;

const scope = new AsyncLocalStorage<LocalInvocation>();

/** The invocation whose handler is running here (only while a listener is timing it). */
export const currentInvocation = (): LocalInvocation | undefined => scope.getStore();

const cpuNowMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// CPU attribution: the one thread runs one callback at a time, so the CPU used between two switches
// belongs to the invocation whose callback ran (none between callbacks of code outside invocations).
let running: LocalInvocation | undefined;
let mark = 0;
const switchTo = (next: LocalInvocation | undefined): void => {
  if (next === running) return;
  const now = cpuNowMs();
  if (running) running.cpuMs += now - mark;
  mark = now;
  running = next;
};
let cpuHook: AsyncHook | undefined;
const attributeCpu = (): void => {
  cpuHook ??= createHook({ before: () => switchTo(scope.getStore()), after: () => switchTo(undefined) }).enable();
};

/** Runs `work` as an invocation of `fn` and tells `listener` (if any) about it, whether it answered or threw. */
export const timedInvocation = async <T>(listener: InvocationListener | undefined, fn: string, work: () => Promise<T>, correlationId?: string): Promise<T> => {
  if (!listener) return work();
  attributeCpu();
  const invocation: LocalInvocation = { fn, ms: 0, cpuMs: 0, readUnits: 0, writeUnits: 0, awsCalls: 0, ...(correlationId ? { correlationId } : {}) };
  const started = performance.now();
  const caller = running;
  let pending: Promise<T>;
  // The synchronous start of `work` runs inside the caller's callback: charge it to the invocation.
  switchTo(invocation);
  try {
    pending = scope.run(invocation, work);
  } catch (error) {
    pending = Promise.reject(error as Error);
  } finally {
    switchTo(caller);
  }
  try {
    return await pending;
  } finally {
    invocation.ms = performance.now() - started;
    listener(invocation);
  }
};
