import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';

/** Where `npm start` keeps its clock's anchor (beside DynamoDB Local's data). */
export const CLOCK_FILE = 'clock.json';

/**
 * The local clock's anchor: at wall-clock `wallMs` it read `simMs`, and it runs `timeScale` times
 * faster than the wall clock from there.
 */
export interface ClockAnchor {
  wallMs: number;
  simMs: number;
  timeScale: number;
}

/** The local clock's time at wall-clock `wallMs` (never before the anchor, even if the wall clock went back). */
export const simulatedAt = (anchor: ClockAnchor, wallMs: number): number => anchor.simMs + Math.max(0, wallMs - anchor.wallMs) * anchor.timeScale;

const readAnchor = (path: string): ClockAnchor | undefined => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ClockAnchor>;
  const ok = [parsed.wallMs, parsed.simMs, parsed.timeScale].every((n) => typeof n === 'number' && Number.isFinite(n)) && (parsed.timeScale as number) > 0;
  if (!ok) throw new Error(`${path} is not a clock anchor ({ wallMs, simMs, timeScale }): delete it to start the local clock afresh at the real time`);
  return parsed as ClockAnchor;
};

const writeAnchor = (path: string, anchor: ClockAnchor): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(anchor, null, 2)}\n`);
  renameSync(temp, path);
};

export interface LocalClock {
  /** Business time: what `deps.clock` and the state-machine runner read. */
  now: () => Date;
  /** The anchor in force (a change of scale makes a new one). */
  readonly anchor: ClockAnchor;
  /** Business seconds per wall-clock second, now. */
  timeScale: () => number;
  /**
   * From now on business time runs `scale` times faster than the wall clock: re-anchors at the current
   * business time (so it never goes back), keeps the anchor as a start with that scale would, and tells
   * the listeners (the state-machine runner's waits re-reckon their wall time).
   */
  setTimeScale: (scale: number) => void;
  /** Calls `listener` after every change of scale; returns what stops it. */
  onChange: (listener: () => void) => () => void;
}

const assertScale = (scale: number): void => {
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`timeScale must be a positive number, got ${scale}`);
};

/**
 * The local cloud's one clock. `--time-scale n` makes waits pass n times faster; for the code that
 * wakes up to agree that the time has come (a cadence's next step, a journey's deadline), business
 * time must run n times faster too. So with a time scale the clock runs ahead of the wall clock from
 * an anchor, kept in `<home>/clock.json` (unless in memory) so that it goes on where it was after a
 * restart (or a crash: time kept passing meanwhile) and never goes back. Changing the scale re-anchors
 * at the current local time. Scale 1 without an anchor is the wall clock, and nothing is written.
 * Delete `clock.json` (or `.keiro/`) to bring the local clock back to the real time.
 * Steps: read the anchor; keep it if its scale is the one asked for, else anchor now (written, unless
 * in memory or scale 1 with no anchor before). `setTimeScale` re-anchors while it runs (`npm run demo`
 * asks for it through the dev-only `PUT /v1/dev/time-scale`).
 */
export const localClock = (options: { home: string; inMemory: boolean; timeScale: number }, wallNow: () => number = Date.now): LocalClock => {
  assertScale(options.timeScale);
  const path = join(options.home, CLOCK_FILE);
  const previous = options.inMemory ? undefined : readAnchor(path);
  const wall = wallNow();
  let anchor: ClockAnchor;
  if (previous && previous.timeScale === options.timeScale) anchor = previous;
  else {
    anchor = { wallMs: wall, simMs: previous ? simulatedAt(previous, wall) : wall, timeScale: options.timeScale };
    if (!options.inMemory && (previous || options.timeScale !== 1)) writeAnchor(path, anchor);
  }
  let last = simulatedAt(anchor, wall);
  // Monotonic within the process too: a wall clock set back does not take business time with it.
  const now = () => new Date((last = Math.max(last, simulatedAt(anchor, wallNow()))));
  const listeners = new Set<() => void>();
  return {
    now,
    get anchor() {
      return anchor;
    },
    timeScale: () => anchor.timeScale,
    setTimeScale: (scale) => {
      assertScale(scale);
      if (scale === anchor.timeScale) return;
      anchor = { wallMs: wallNow(), simMs: now().getTime(), timeScale: scale };
      if (!options.inMemory) writeAnchor(path, anchor);
      for (const listener of listeners) listener();
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

/**
 * A clock that runs `scale` times faster than the wall clock from `simulatedStart` (default: now), for
 * the test clouds that simulate days in seconds (tests/support/cadence-cloud.ts); `npm start` uses
 * `localClock`, which also keeps its anchor across restarts. Scale 1 without a start is the wall clock.
 */
export const scaledClock = (scale: number, simulatedStart?: number, wallClock: () => number = Date.now): (() => Date) => {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`A time scale must be a positive number, got ${scale}`);
  const t0 = wallClock();
  const anchor: ClockAnchor = { wallMs: t0, simMs: simulatedStart ?? t0, timeScale: scale };
  return () => new Date(simulatedAt(anchor, wallClock()));
};
