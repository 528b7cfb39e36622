import { visitStates, type AslDefinition, type LocalHandler } from './asl.js';

/** aws-local-stepfunctions' timeout for a Task without TimeoutSeconds, as in AWS Step Functions. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;

/**
 * Each Task's timeout in milliseconds, as the library arms it: TimeoutSeconds, else 60 s. A Task with
 * TimeoutSecondsPath is left out: its timeout is known only at run time.
 */
export const taskTimeoutsMs = (definition: AslDefinition): Map<string, number> => {
  const timeouts = new Map<string, number>();
  visitStates(definition, (name, state) => {
    if (state.Type !== 'Task' || state.TimeoutSecondsPath !== undefined) return;
    timeouts.set(name, (typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS) * 1000);
  });
  return timeouts;
};

export interface AttemptOptions {
  state: string;
  /** The Task's timeout (taskTimeoutsMs); without one, attempts are not followed. */
  timeoutMs: number | undefined;
  /** The execution's: a retry stops waiting once the execution stops (the handler then refuses to start). */
  signal: AbortSignal;
  /** Hears an attempt outliving its timeout, and its late end. */
  warn: (message: string) => void;
}

interface Attempt {
  timedOut: boolean;
  ended: Promise<void>;
}

/**
 * One Task's handler in one execution, one attempt at a time, as in AWS. When a Task's timeout passes,
 * Step Functions gives up on the attempt (States.Timeout) and may retry. In AWS that attempt's Lambda
 * has stopped by then, because each Keiro task's timeout is longer than its Lambda's own
 * (stepfunctions/timer/README.md). A local handler is a promise nobody can stop, so here a retry waits
 * for the attempts that timed out to end before it calls the handler. Their late results are not used:
 * the library has moved on. Both are logged.
 *
 * An attempt counts as timed out once a timer of the same length, armed at the same moment as the
 * library's (the library arms its own right after calling this), has fired: it fires first.
 */
export const oneAttemptAtATime = (handler: LocalHandler, options: AttemptOptions): LocalHandler => {
  const { state, timeoutMs, signal, warn } = options;
  const seconds = (timeoutMs ?? 0) / 1000;
  const running = new Set<Attempt>();
  const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  return (input) => {
    const attempt: Attempt = { timedOut: false, ended: Promise.resolve() };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => (attempt.timedOut = true), timeoutMs);
    const abandoned = [...running].filter((earlier) => earlier.timedOut);
    const call = async () => {
      if (abandoned.length > 0) {
        warn(`${state}: an earlier attempt is still running after its ${seconds} s timeout; this retry waits for it to end (in AWS its Lambda has stopped by now)`);
        await Promise.race([Promise.all(abandoned.map((earlier) => earlier.ended)), stopped]);
      }
      return handler(input);
    };
    const result = call();
    attempt.ended = result.then(
      () => undefined,
      () => undefined,
    );
    running.add(attempt);
    void attempt.ended.then(() => {
      clearTimeout(timer);
      running.delete(attempt);
      if (attempt.timedOut) warn(`${state}: an attempt ended after its ${seconds} s timeout; its result is not used (Step Functions had moved on)`);
    });
    return result;
  };
};
