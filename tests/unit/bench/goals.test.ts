import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOALS, ratio, verdict, type Goal } from '../../bench/goals.js';

describe('bench goals', () => {
  it('holds the six goals of the issue, with their limits', () => {
    expect(GOALS.overhead).toMatchObject({ compares: 'ratio', limit: 1.2, bound: 'atMost' });
    expect(GOALS.transitions).toMatchObject({ compares: 'value', limit: 2, bound: 'atMost' });
    expect(GOALS.scale).toMatchObject({ compares: 'ratio', limit: 1.2, bound: 'atMost' });
    expect(GOALS.p99).toMatchObject({ compares: 'value', limit: 1000, bound: 'under', unit: 'ms' });
    expect(GOALS.bundleSize).toMatchObject({ compares: 'value', limit: 1_000_000, bound: 'atMost', unit: 'bytes' });
    expect(GOALS.load).toMatchObject({ compares: 'ratio', limit: 1.2, bound: 'atMost' });
  });

  it('an "at most" goal is met at its limit and NOT met just above it', () => {
    expect(verdict(GOALS.overhead, { ratio: 1.2 })).toBe('met');
    expect(verdict(GOALS.overhead, { ratio: 1.2000001 })).toBe('NOT met');
    expect(verdict(GOALS.transitions, { value: 2 })).toBe('met');
    expect(verdict(GOALS.transitions, { value: 2.01 })).toBe('NOT met');
    expect(verdict(GOALS.bundleSize, { value: 1_000_000 })).toBe('met');
    expect(verdict(GOALS.bundleSize, { value: 1_000_001 })).toBe('NOT met');
  });

  it('an "under" goal is NOT met at its limit', () => {
    expect(verdict(GOALS.p99, { value: 999.9 })).toBe('met');
    expect(verdict(GOALS.p99, { value: 1000 })).toBe('NOT met');
  });

  it('judges the number the goal names: a ratio goal ignores the value and the other way round', () => {
    expect(verdict(GOALS.load, { value: 0.5, ratio: 3 })).toBe('NOT met');
    expect(verdict(GOALS.load, { value: 1e9, ratio: 1.1 })).toBe('met');
    expect(verdict(GOALS.p99, { value: 10, ratio: 50 })).toBe('met');
  });

  it('never passes a goal by default: missing, NaN or infinite numbers are NOT met', () => {
    for (const goal of Object.values(GOALS) as Goal[]) {
      expect(verdict(goal, {})).toBe('NOT met');
      expect(verdict(goal, { value: Number.NaN, ratio: Number.NaN })).toBe('NOT met');
      expect(verdict(goal, { value: Number.POSITIVE_INFINITY, ratio: Number.POSITIVE_INFINITY })).toBe('NOT met');
    }
  });

  it('verdicts are monotonic: a smaller number never turns met into NOT met', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.values(GOALS) as Goal[])), fc.double({ min: 0, max: 2e6, noNaN: true }), fc.double({ min: 0, max: 2e6, noNaN: true }), (goal, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const judge = (x: number) => verdict(goal, { value: x, ratio: x });
        if (judge(hi) === 'met') expect(judge(lo)).toBe('met');
      }),
    );
  });

  it('ratio divides by a positive finite baseline, else NaN', () => {
    expect(ratio(30, 20)).toBe(1.5);
    expect(ratio(0, 20)).toBe(0);
    expect(ratio(30, 0)).toBeNaN();
    expect(ratio(30, -1)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
    expect(ratio(2, Number.POSITIVE_INFINITY)).toBeNaN();
    fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (m, b) => Math.abs(ratio(m, b) * b - m) <= 1e-9 * Math.max(1, m)));
  });
});
