import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keptScaledClock, scaledClock } from '../../../infra/local/clock.js';

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

describe('keptScaledClock (npm start --time-scale on kept data)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keiro-clock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('goes on after a restart from where the last session left off, never back to the wall clock', () => {
    const file = join(dir, 'simulated-clock');
    const w = wall(Date.parse('2026-11-28T10:00:00Z'));
    const first = keptScaledClock(3600, file, w.now);
    w.advance(24_000); // a simulated day
    first.stop();
    expect(Number(readFileSync(file, 'utf8'))).toBe(Date.parse('2026-11-29T10:00:00Z'));
    w.advance(60_000); // a minute later, the restart
    const second = keptScaledClock(3600, file, w.now);
    expect(second.clock().toISOString()).toBe('2026-11-29T10:00:00.000Z');
    w.advance(1000);
    expect(second.clock().toISOString()).toBe('2026-11-29T11:00:00.000Z');
    second.stop();
  });

  it('starts at now when the saved time is behind the wall clock, or unreadable, or in memory (no file)', () => {
    const file = join(dir, 'old-clock');
    const w = wall(Date.parse('2026-11-28T10:00:00Z'));
    writeFileSync(file, `${Date.parse('2026-01-01T00:00:00Z')}\n`);
    expect(keptScaledClock(60, file, w.now).clock().toISOString()).toBe('2026-11-28T10:00:00.000Z');
    writeFileSync(file, 'not a time');
    const unreadable = keptScaledClock(60, file, w.now);
    expect(unreadable.clock().toISOString()).toBe('2026-11-28T10:00:00.000Z');
    unreadable.stop();
    const inMemory = keptScaledClock(60, undefined, w.now);
    w.advance(1000);
    expect(inMemory.clock().toISOString()).toBe('2026-11-28T10:01:00.000Z');
    inMemory.stop();
  });
});
