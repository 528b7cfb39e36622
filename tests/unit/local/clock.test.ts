import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOCK_FILE, localClock, scaledClock } from '../../../infra/local/clock.js';

const DAY = 86_400_000;
const home = () => mkdtempSync(join(tmpdir(), 'keiro-clock-'));
/** A wall clock the test moves by hand. */
const wall = (start = Date.parse('2026-06-10T00:00:00Z')) => {
  let now = start;
  return { read: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
};

describe('the local clock (npm start --time-scale)', () => {
  it('is the wall clock at scale 1, and writes nothing', () => {
    const dir = home();
    const w = wall();
    const clock = localClock({ home: dir, inMemory: false, timeScale: 1 }, w.read);
    w.advance(5_000);
    expect(clock.now().getTime()).toBe(w.read());
    expect(existsSync(join(dir, CLOCK_FILE))).toBe(false);
  });

  it('runs n times faster with a time scale: a day per wall second at 86400', () => {
    const w = wall();
    const clock = localClock({ home: home(), inMemory: false, timeScale: 86_400 }, w.read);
    const t0 = clock.now().getTime();
    expect(t0).toBe(w.read());
    w.advance(1_000);
    expect(clock.now().getTime() - t0).toBe(DAY);
  });

  it('changes its scale while it runs: from the business time it had, never back, kept for the next start, listeners told', () => {
    const dir = home();
    const w = wall();
    const clock = localClock({ home: dir, inMemory: false, timeScale: 1 }, w.read);
    let told = 0;
    const stop = clock.onChange(() => (told += 1));
    w.advance(1_000);
    const before = clock.now().getTime();
    clock.setTimeScale(3_600);
    expect(clock.timeScale()).toBe(3_600);
    expect(clock.now().getTime()).toBe(before);
    w.advance(1_000);
    expect(clock.now().getTime() - before).toBe(3_600_000);
    expect(told).toBe(1);
    // Back to real time: it keeps the hour it gained.
    clock.setTimeScale(1);
    w.advance(1_000);
    expect(clock.now().getTime() - before).toBe(3_601_000);
    expect(told).toBe(2);
    clock.setTimeScale(1);
    expect(told).toBe(2);
    stop();
    clock.setTimeScale(2);
    expect(told).toBe(2);
    // A start at that scale goes on from the anchor kept in clock.json.
    const next = localClock({ home: dir, inMemory: false, timeScale: 2 }, w.read);
    expect(next.anchor).toEqual(clock.anchor);
    expect(() => clock.setTimeScale(0)).toThrow('timeScale must be a positive number');
    expect(() => clock.setTimeScale(Number.NaN)).toThrow('timeScale must be a positive number');
  });

  it('goes on where it was after a restart (a kill included: time kept passing meanwhile)', () => {
    const dir = home();
    const w = wall();
    const first = localClock({ home: dir, inMemory: false, timeScale: 86_400 }, w.read);
    const start = first.now().getTime();
    w.advance(2_000); // 2 days of business time, then the process dies without a word
    w.advance(3_000); // down for 3 wall seconds
    const second = localClock({ home: dir, inMemory: false, timeScale: 86_400 }, w.read);
    expect(second.now().getTime() - start).toBe(5 * DAY);
    expect(second.anchor).toEqual(first.anchor);
  });

  it('re-anchors on a new scale at the current local time, never going back', () => {
    const dir = home();
    const w = wall();
    const fast = localClock({ home: dir, inMemory: false, timeScale: 86_400 }, w.read);
    w.advance(10_000);
    const ahead = fast.now().getTime();
    expect(ahead - w.read()).toBe(10 * DAY - 10_000);
    const slow = localClock({ home: dir, inMemory: false, timeScale: 1 }, w.read);
    expect(slow.now().getTime()).toBe(ahead);
    w.advance(1_000);
    expect(slow.now().getTime()).toBe(ahead + 1_000);
    expect(JSON.parse(readFileSync(join(dir, CLOCK_FILE), 'utf8'))).toMatchObject({ timeScale: 1, simMs: ahead });
  });

  it('never goes back when the wall clock does', () => {
    const w = wall();
    const clock = localClock({ home: home(), inMemory: false, timeScale: 60 }, w.read);
    w.advance(1_000);
    const seen = clock.now().getTime();
    w.set(w.read() - 60_000);
    expect(clock.now().getTime()).toBe(seen);
    w.advance(61_000);
    expect(clock.now().getTime()).toBe(seen + 60_000);
  });

  it('keeps nothing in memory mode', () => {
    const dir = home();
    localClock({ home: dir, inMemory: true, timeScale: 86_400 }, wall().read);
    expect(existsSync(join(dir, CLOCK_FILE))).toBe(false);
  });

  it('refuses a damaged anchor with what to do, and a scale that is not positive', () => {
    const dir = home();
    writeFileSync(join(dir, CLOCK_FILE), JSON.stringify({ wallMs: 'soon', simMs: 1, timeScale: 2 }));
    expect(() => localClock({ home: dir, inMemory: false, timeScale: 2 })).toThrow(/delete it/);
    expect(() => localClock({ home: home(), inMemory: false, timeScale: 0 })).toThrow(/positive/);
    expect(() => localClock({ home: home(), inMemory: false, timeScale: Number.NaN })).toThrow(/positive/);
  });
});

/** A wall clock the scaledClock tests move by hand. */
const manualWall = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

describe('scaledClock (the test clouds)', () => {
  it('runs simulated time scale times faster than the wall clock, from now', () => {
    const w = manualWall(Date.parse('2026-11-28T10:00:00Z'));
    const clock = scaledClock(3600, undefined, w.now);
    expect(clock().toISOString()).toBe('2026-11-28T10:00:00.000Z');
    w.advance(1000);
    expect(clock().toISOString()).toBe('2026-11-28T11:00:00.000Z');
    w.advance(47_000);
    expect(clock().toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('starts at a given simulated instant', () => {
    const w = manualWall(Date.parse('2026-11-28T10:00:00Z'));
    const clock = scaledClock(86_400, Date.parse('2026-06-10T00:30:00Z'), w.now);
    w.advance(2000);
    expect(clock().toISOString()).toBe('2026-06-12T00:30:00.000Z');
  });

  it('is the wall clock at scale 1, and refuses a scale that is not a positive number', () => {
    const w = manualWall(1_000_000);
    const clock = scaledClock(1, undefined, w.now);
    w.advance(5);
    expect(clock().getTime()).toBe(1_000_005);
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => scaledClock(bad)).toThrow(/positive number/);
  });
});
