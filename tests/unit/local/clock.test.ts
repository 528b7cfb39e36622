import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../infra/local/clock.js';

/** A wall clock the test moves by hand. */
const wall = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

describe('scaledClock (npm start --time-scale)', () => {
  it('runs simulated time scale times faster than the wall clock, from now', () => {
    const w = wall(Date.parse('2026-11-28T10:00:00Z'));
    const clock = scaledClock(3600, undefined, w.now);
    expect(clock().toISOString()).toBe('2026-11-28T10:00:00.000Z');
    w.advance(1000);
    expect(clock().toISOString()).toBe('2026-11-28T11:00:00.000Z');
    w.advance(47_000);
    expect(clock().toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('starts at a given simulated instant', () => {
    const w = wall(Date.parse('2026-11-28T10:00:00Z'));
    const clock = scaledClock(86_400, Date.parse('2026-06-10T00:30:00Z'), w.now);
    w.advance(2000);
    expect(clock().toISOString()).toBe('2026-06-12T00:30:00.000Z');
  });

  it('is the wall clock at scale 1, and refuses a scale that is not a positive number', () => {
    const w = wall(1_000_000);
    const clock = scaledClock(1, undefined, w.now);
    w.advance(5);
    expect(clock().getTime()).toBe(1_000_005);
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => scaledClock(bad)).toThrow(/positive number/);
  });
});
