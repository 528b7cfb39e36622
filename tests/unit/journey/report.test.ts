import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MEDIAN_RELATIVE_ERROR,
  buildPaths,
  buildReport,
  bucketOf,
  bucketValue,
  pathKey,
  recompute,
  reportChange,
  sumDays,
  type Deltas,
  type StateVisit,
} from '../../../shared/domain/journey/report.js';

const STATES = ['lead', 'prospect', 'customer', 'promoter', 'lost'];
const GOAL = 'customer';
const T0 = Date.parse('2027-01-01T00:00:00.000Z');

/** Applies a change's deltas to running totals, as the DynamoDB ADDs do. */
const apply = (totals: { daily: Record<string, Deltas>; now: Deltas; paths: Record<string, number> }, change: ReturnType<typeof reportChange>) => {
  for (const [day, deltas] of Object.entries(change.daily)) {
    const target = (totals.daily[day] ??= {});
    for (const [k, v] of Object.entries(deltas)) target[k] = (target[k] ?? 0) + v;
  }
  for (const [k, v] of Object.entries(change.now)) totals.now[k] = (totals.now[k] ?? 0) + v;
  for (const [k, v] of Object.entries(change.paths)) totals.paths[k] = (totals.paths[k] ?? 0) + v;
};

/** An instance as a list of moves: (state, time spent before the move). */
const instanceArb = fc.record({
  startOffsetMs: fc.integer({ min: 0, max: 20 * 86_400_000 }),
  moves: fc.array(fc.record({ state: fc.constantFrom(...STATES), afterMs: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1000, max: 9 * 86_400_000 })) }), { minLength: 0, maxLength: 6 }),
  initial: fc.constantFrom('lead', 'prospect'),
});

/** Builds the history step by step and feeds every intermediate change to the counters. */
const play = (instances: Array<any>) => {
  const totals = { daily: {} as Record<string, Deltas>, now: {} as Deltas, paths: {} as Record<string, number> };
  const histories: StateVisit[][] = [];
  for (const inst of instances) {
    let at = T0 + inst.startOffsetMs;
    let visits: StateVisit[] = [{ state: inst.initial, enteredAt: new Date(at).toISOString() }];
    apply(totals, reportChange([], visits));
    for (const move of inst.moves) {
      at += move.afterMs;
      const iso = new Date(at).toISOString();
      const next = [...visits.slice(0, -1), { ...visits.at(-1)!, leftAt: iso }, { state: move.state, enteredAt: iso }];
      apply(totals, reportChange(visits, next));
      visits = next;
    }
    histories.push(visits);
  }
  return { totals, histories };
};

describe('journey report counters', () => {
  it('equal a full recomputation from the instance histories, for any sequence of moves (medians within the stated error)', () => {
    fc.assert(
      fc.property(fc.array(instanceArb, { minLength: 1, maxLength: 40 }), (instances) => {
        const { totals, histories } = play(instances);
        const incremental = buildReport(STATES, sumDays(Object.values(totals.daily)), totals.now);
        const { report, paths, exactMedians } = recompute(histories, STATES, GOAL);
        expect(incremental).toEqual(report);
        expect(buildPaths(totals.paths, GOAL, Number.MAX_SAFE_INTEGER)).toEqual(paths);
        // Any state can be the goal of a query: the same counters answer it.
        for (const goal of STATES) expect(buildPaths(totals.paths, goal, Number.MAX_SAFE_INTEGER)).toEqual(recompute(histories, STATES, goal).paths);
        for (const figures of incremental.states) {
          const exact = exactMedians.get(figures.state);
          if (exact === undefined) {
            expect(figures.medianMs).toBeNull();
            continue;
          }
          if (exact < 1000) expect(Math.abs(figures.medianMs! - exact)).toBeLessThanOrEqual(500);
          else expect(Math.abs(figures.medianMs! - exact) / exact).toBeLessThanOrEqual(MEDIAN_RELATIVE_ERROR);
        }
      }),
      { numRuns: 200 },
    );
    // 200 runs take about 4 s alone; a busy shared machine needs more than vitest's 5 s default.
  }, 30_000);

  it('filters by period: the days in range sum to what a recomputation over that range gives', () => {
    fc.assert(
      fc.property(fc.array(instanceArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 10 }), (instances, fromDay, span) => {
        const { totals, histories } = play(instances);
        const from = new Date(T0 + fromDay * 86_400_000).toISOString().slice(0, 10);
        const to = new Date(T0 + (fromDay + span) * 86_400_000).toISOString().slice(0, 10);
        const days = Object.entries(totals.daily).filter(([d]) => d >= from && d <= to).map(([, v]) => v);
        expect(buildReport(STATES, sumDays(days), totals.now)).toEqual(recompute(histories, STATES, GOAL, { from, to }).report);
      }),
      { numRuns: 100 },
    );
  });

  it('counts a route by the states before the goal and its goal conversion (drop-off per state: drop-off.test.ts)', () => {
    const v = (state: string): StateVisit => ({ state, enteredAt: '2027-01-01T00:00:00.000Z' });
    expect(pathKey([v('lead'), v('prospect'), v('prospect'), v('customer'), v('promoter')])).toBe('lead>prospect>customer>promoter');
    expect(buildPaths({ 'lead>prospect>customer>promoter': 2, 'lead>prospect>customer': 1, 'lead>prospect': 1, lead: 2 }, 'customer')).toEqual({
      goal: 'customer',
      paths: [
        { states: ['lead', 'prospect'], count: 4, reachedGoal: 3, goalConversion: 0.75 },
        { states: ['lead'], count: 2, reachedGoal: 0, goalConversion: 0 },
      ],
    });
  });

  it('puts every duration in the bucket whose middle is within the stated error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 365 * 86_400_000 }), (ms) => {
        expect(Math.abs(bucketValue(bucketOf(ms)) - ms) / ms).toBeLessThanOrEqual(MEDIAN_RELATIVE_ERROR);
      }),
    );
  });
});
