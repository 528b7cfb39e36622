import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The local cloud's clock under a time scale: from `simulatedStart` (default: now), simulated time runs
 * `scale` times faster than the wall clock. `npm start --time-scale <n>` gives it to every handler and to
 * the state-machine runner, so that a wake-up after a scaled wait finds its time has come (with the real
 * clock, a timer woken early would only plan the rest of its wait again). Scale 1 is the wall clock.
 */
export const scaledClock = (scale: number, simulatedStart?: number, wallClock: () => number = Date.now): (() => Date) => {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`A time scale must be a positive number, got ${scale}`);
  const t0 = wallClock();
  const base = simulatedStart ?? t0;
  if (scale === 1 && simulatedStart === undefined) return () => new Date(wallClock());
  return () => new Date(base + (wallClock() - t0) * scale);
};

export interface KeptClock {
  clock: () => Date;
  /** Stops saving (and saves once more). */
  stop: () => void;
}

/**
 * A scaled clock for a cloud whose data is kept: it goes on from where the last session on the same data
 * left off (saved in `file` every second and at stop), so a restart never takes simulated time back
 * behind what was already written and scheduled. Without a file (in memory) it starts at now.
 */
export const keptScaledClock = (scale: number, file: string | undefined, wallClock: () => number = Date.now): KeptClock => {
  const saved = file && existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : Number.NaN;
  const clock = scaledClock(scale, Number.isFinite(saved) && saved > wallClock() ? saved : undefined, wallClock);
  if (!file) return { clock, stop: () => undefined };
  const save = () => writeFileSync(file, `${clock().getTime()}\n`);
  save();
  const timer = setInterval(save, 1000);
  timer.unref();
  return {
    clock,
    stop: () => {
      clearInterval(timer);
      save();
    },
  };
};
