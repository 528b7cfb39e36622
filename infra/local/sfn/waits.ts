import { localLambdaArn } from './intrinsics.js';
import { visitStates, type AslDefinition, type AslState, type LocalHandler } from './asl.js';

/** The resource of Wait states rewritten to Tasks; always served by the scaled-wait handler. */
export const SCALED_WAIT_RESOURCE = localLambdaArn('keiro-local-scaled-wait');

/** setTimeout's 32-bit limit (about 24.8 days) bounds one wall-clock wait, here and in the library. */
export const MAX_WALL_WAIT_MS = 2_147_483_647;

/**
 * Rewrites every Wait state into a Task served by the scaled-wait handler.
 * The library's `waitTimeOverrides` are fixed milliseconds per state name: they cannot scale
 * `SecondsPath`/`TimestampPath` (the value is only known at run time), and its own Timestamp
 * waits use the real clock. The Task keeps the Wait's InputPath/OutputPath/Next/End, evaluates
 * the same path through Parameters, and outputs its effective input unchanged, as a Wait does.
 */
export const rewriteWaits = (definition: AslDefinition): { definition: AslDefinition; waitStates: string[] } => {
  const copy = structuredClone(definition);
  const waitStates: string[] = [];
  visitStates(copy, (name, state) => {
    if (state.Type !== 'Wait') return;
    waitStates.push(name);
    const { Seconds, SecondsPath, Timestamp, TimestampPath, InputPath, OutputPath, Next, End, Comment } = state;
    const when =
      Seconds !== undefined ? { seconds: Seconds }
      : SecondsPath !== undefined ? { 'seconds.$': SecondsPath }
      : Timestamp !== undefined ? { timestamp: Timestamp }
      : { 'timestamp.$': TimestampPath };
    const task: AslState = {
      Type: 'Task',
      Comment: Comment ?? `Wait state "${name}", scaled by the local runner`,
      Resource: SCALED_WAIT_RESOURCE,
      Parameters: { 'input.$': '$', ...when },
      TimeoutSeconds: Math.floor(MAX_WALL_WAIT_MS / 1000),
      ...(InputPath !== undefined ? { InputPath } : {}),
      ...(OutputPath !== undefined ? { OutputPath } : {}),
      ...(Next !== undefined ? { Next } : { End }),
    };
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(state, task);
  });
  return { definition: copy, waitStates };
};

class StatesRuntimeError extends Error {
  override name = 'States.Runtime';
}

/** Resolves after `ms`, or as soon as `signal` aborts (the execution is stopping). */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export interface ScaledWaitOptions {
  /** Simulated seconds per wall-clock second: 86400 makes a day pass in a second. */
  timeScale: number;
  /** The runner's clock: Timestamp waits last (timestamp - now) / timeScale. */
  clock: () => Date;
  signal: AbortSignal;
}

/** Wall-clock milliseconds a wait lasts, given the rewritten state's parameters. */
export const wallWaitMs = (params: { seconds?: unknown; timestamp?: unknown }, options: Omit<ScaledWaitOptions, 'signal'>): number => {
  let simulatedMs: number;
  if (params.seconds !== undefined) {
    if (!Number.isInteger(params.seconds) || (params.seconds as number) < 0) {
      throw new StatesRuntimeError(`Wait seconds must be a non-negative integer, got ${JSON.stringify(params.seconds)}`);
    }
    simulatedMs = (params.seconds as number) * 1000;
  } else {
    const at = typeof params.timestamp === 'string' ? Date.parse(params.timestamp) : NaN;
    if (Number.isNaN(at)) throw new StatesRuntimeError(`Wait timestamp is not a timestamp: ${JSON.stringify(params.timestamp)}`);
    simulatedMs = at - options.clock().getTime();
  }
  return Math.max(0, simulatedMs) / options.timeScale;
};

/**
 * A time scale that may change while the runner runs (`npm run demo` speeds a real-time cloud up): its
 * value now, and a subscription to its changes.
 */
export interface ChangingTimeScale {
  current: () => number;
  onChange: (listener: () => void) => () => void;
}

/** Sleeps `ms`, or less when the execution stops or the time scale changes; says whether the scale changed. */
const sleepUntilChange = (ms: number, signal: AbortSignal, scale: ChangingTimeScale): Promise<boolean> => {
  const changed = new AbortController();
  const stop = scale.onChange(() => changed.abort());
  const woken = AbortSignal.any([signal, changed.signal]);
  return sleep(ms, woken).then(() => {
    stop();
    return changed.signal.aborted && !signal.aborted;
  });
};

/**
 * The handler behind every rewritten Wait state of one execution. With a changing time scale the wait
 * ends at a business time (now + seconds, or the timestamp), and its wall time is reckoned again
 * whenever the scale changes.
 */
export const scaledWaitHandler =
  (options: ScaledWaitOptions & { changingScale?: ChangingTimeScale }): LocalHandler =>
  async (raw) => {
    const params = raw as { input: unknown; seconds?: unknown; timestamp?: unknown };
    const timeScale = options.changingScale?.current() ?? options.timeScale;
    const ms = wallWaitMs(params, { clock: options.clock, timeScale });
    if (ms > MAX_WALL_WAIT_MS) {
      throw new StatesRuntimeError(`a wait of ${Math.round(ms / 86_400_000)} wall-clock days is beyond the local runner: raise timeScale`);
    }
    const scale = options.changingScale;
    if (!scale) {
      await sleep(ms, options.signal);
      return params.input;
    }
    const endsAt = options.clock().getTime() + ms * timeScale;
    let wallMs = ms;
    while (wallMs > 0 && !options.signal.aborted && (await sleepUntilChange(Math.min(wallMs, MAX_WALL_WAIT_MS), options.signal, scale))) {
      wallMs = (endsAt - options.clock().getTime()) / scale.current();
    }
    return params.input;
  };

/**
 * Execution timeouts measure waiting time, so they scale like waits: a 365-day timeout at 86400x is
 * about 6 minutes of wall time. One beyond a single timer's reach (about 24.8 days of wall time)
 * cannot be armed — the library's timer would overflow and fire at once — so it is dropped.
 * Task timeouts bound a handler's own running time: they stay real, clamped to a timer's reach.
 */
export const boundTimeouts = (definition: AslDefinition, timeScale: number): AslDefinition => {
  const copy = structuredClone(definition);
  if (typeof copy.TimeoutSeconds === 'number') {
    const scaled = Math.ceil(copy.TimeoutSeconds / timeScale);
    if (scaled * 1000 > MAX_WALL_WAIT_MS) delete copy.TimeoutSeconds;
    else copy.TimeoutSeconds = scaled;
  }
  visitStates(copy, (_name, state) => {
    if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds * 1000 > MAX_WALL_WAIT_MS) {
      state.TimeoutSeconds = Math.floor(MAX_WALL_WAIT_MS / 1000);
    }
  });
  return copy;
};
