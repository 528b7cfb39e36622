import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelay, OPTIMISTIC_WRITE_BUDGET, retrier, type RetryBudget } from '../../../shared/db/backoff.js';

describe('full-jitter exponential backoff', () => {
  it('waits uniformly in [0, min(cap, base · 2^(retry-1))]', () => {
    const budget = { baseMs: 10, capMs: 1_000 };
    expect(fullJitterDelay(budget, 1, () => 0.999999)).toBeCloseTo(10, 3);
    expect(fullJitterDelay(budget, 4, () => 0.5)).toBe(40);
    expect(fullJitterDelay(budget, 30, () => 1)).toBe(1_000);
    expect(fullJitterDelay(budget, 3, () => 0)).toBe(0);
  });

  it('property: never negative, never above the cap, and its ceiling never shrinks from one retry to the next', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (base, cap, retry, r) => {
        const d = fullJitterDelay({ baseMs: base, capMs: cap }, retry, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(cap);
        expect(fullJitterDelay({ baseMs: base, capMs: cap }, retry + 1, () => 1)).toBeGreaterThanOrEqual(fullJitterDelay({ baseMs: base, capMs: cap }, retry, () => 1));
      }),
    );
  });

  it('a retrier stops at its attempt budget', async () => {
    const budget: RetryBudget = { maxAttempts: 4, baseMs: 0, capMs: 0, maxElapsedMs: 60_000 };
    const r = retrier(budget);
    const answers = [await r.retry(), await r.retry(), await r.retry(), await r.retry(), await r.retry()];
    expect(answers).toEqual([true, true, true, false, false]);
    expect(r.attempts).toBe(4);
  });

  it('a retrier stops before a wait that would overrun its elapsed budget (without sleeping it)', async () => {
    let now = 0;
    const r = retrier({ maxAttempts: 100, baseMs: 100, capMs: 100, maxElapsedMs: 250 }, () => 1, () => now);
    expect(await r.retry()).toBe(true);
    now = 200;
    expect(await r.retry()).toBe(false);
  });

  it('the PATCH budget allows sustained contention inside the area Lambda timeout (29 s)', () => {
    expect(OPTIMISTIC_WRITE_BUDGET.maxAttempts).toBeGreaterThanOrEqual(20);
    expect(OPTIMISTIC_WRITE_BUDGET.maxElapsedMs).toBeLessThan(29_000);
  });
});
