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
