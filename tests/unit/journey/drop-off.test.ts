import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { deadEndsOf, dropOffRules, standingOf, stateOutcomes, type DropOffRules, type RouteCount } from '../../../shared/domain/journey/drop-off.js';

const STATES = ['lead', 'prospect', 'customer', 'promoter', 'lost'];
const RULES: DropOffRules = { goal: 'customer', deadEnds: new Set(['lost']), timedOutBefore: '2027-03-01' };
const RECENT = '2027-05-20';
const OLD = '2027-01-10';
const outcomeOf = (routes: RouteCount[], state: string) => stateOutcomes(routes, STATES, RULES).find((o) => o.state === state)!;

describe('drop-off (one definition for the report, Pathfinder and the picture)', () => {
  it.each<[string, RouteCount[], string, Partial<ReturnType<typeof outcomeOf>>]>([
    ['a lead still in its first state, started recently, is in progress, not dropped off', [{ path: 'lead', startDay: RECENT, count: 3 }], 'lead', { entered: 3, inProgress: 3, droppedOff: 0, rate: 0 }],
    ['a lead that started before the cut-off and never reached the goal has timed out where it stands', [{ path: 'lead>prospect', startDay: OLD, count: 2 }], 'prospect', { entered: 2, droppedOff: 2, inProgress: 0, rate: 1 }],
    ['…and it carried on from the states it left', [{ path: 'lead>prospect', startDay: OLD, count: 2 }], 'lead', { entered: 2, carriedOn: 2, droppedOff: 0, rate: 0 }],
    ['a dead end drops a recent instance off at once', [{ path: 'lead>lost', startDay: RECENT, count: 4 }], 'lost', { entered: 4, droppedOff: 4, rate: 1 }],
    ['at the goal it reached the goal: no drop-off, however long ago it started', [{ path: 'lead>customer', startDay: OLD, count: 5 }], 'customer', { entered: 5, reachedGoal: 5, droppedOff: 0, rate: 0 }],
    ['past the goal, even at a dead end, it reached the goal', [{ path: 'lead>customer>lost', startDay: OLD, count: 1 }], 'lost', { reachedGoal: 1, droppedOff: 0 }],
    ['a state visited twice counts the instance once', [{ path: 'lead>prospect>lead', startDay: RECENT, count: 1 }], 'lead', { entered: 1, inProgress: 1, carriedOn: 0 }],
    ['nobody entered: no rate', [{ path: 'lead', startDay: RECENT, count: 1 }], 'promoter', { entered: 0, rate: null }],
    ['empty and non-positive counters are ignored', [{ path: '', startDay: RECENT, count: 3 }, { path: 'lead', startDay: RECENT, count: 0 }, { path: 'lead', startDay: RECENT, count: -1 }], 'lead', { entered: 0, rate: null }],
    ['the cut-off day itself is not timed out', [{ path: 'lead', startDay: '2027-03-01', count: 1 }], 'lead', { inProgress: 1, droppedOff: 0 }],
    ['mixes add up', [{ path: 'lead', startDay: RECENT, count: 6 }, { path: 'lead', startDay: OLD, count: 2 }, { path: 'lead>customer', startDay: RECENT, count: 12 }], 'lead', { entered: 20, carriedOn: 12, inProgress: 6, droppedOff: 2, rate: 0.1 }],
  ])('%s', (_, routes, state, expected) => {
    expect(outcomeOf(routes, state)).toMatchObject(expected);
  });

  it('does not count states an older version had', () => {
    expect(stateOutcomes([{ path: 'gone>lead', startDay: RECENT, count: 1 }], STATES, RULES).map((o) => o.state)).toEqual(STATES);
  });

  const routeArb = fc.record({
    path: fc.array(fc.constantFrom(...STATES, 'retired'), { minLength: 0, maxLength: 7 }).map((s) => s.join('>')),
    startDay: fc.constantFrom(OLD, '2027-02-28', '2027-03-01', RECENT),
    count: fc.integer({ min: -2, max: 50 }),
  });

  it('splits everyone who entered a state: dropped off + carried on + in progress + reached the goal = entered, and agrees with classifying each instance', () => {
    fc.assert(
      fc.property(fc.array(routeArb, { maxLength: 30 }), fc.constantFrom(...STATES), (routes, goal) => {
        const rules = { ...RULES, goal };
        const outcomes = stateOutcomes(routes, STATES, rules);
        for (const o of outcomes) {
          expect(o.droppedOff + o.carriedOn + o.inProgress + o.reachedGoal).toBe(o.entered);
          expect(o.rate).toBe(o.entered > 0 ? o.droppedOff / o.entered : null);
        }
        // The oracle: one instance at a time.
        for (const state of STATES) {
          const expected = { entered: 0, droppedOff: 0 };
          for (const r of routes) {
            if (r.count <= 0 || r.path === '') continue;
            for (let i = 0; i < r.count; i += 1) {
              const path = r.path.split('>');
              if (!path.includes(state)) continue;
              expected.entered += 1;
              const here = path.at(-1) === state;
              const reached = path.includes(goal);
              if (here && !reached && (rules.deadEnds.has(state) || r.startDay < rules.timedOutBefore)) expected.droppedOff += 1;
            }
          }
          expect(outcomes.find((o) => o.state === state)).toMatchObject(expected);
        }
        // The goal never drops anyone.
        expect(outcomes.find((o) => o.state === goal)!.droppedOff).toBe(0);
      }),
    );
  });

  it('calls a state a dead end when only a manual move leaves it', () => {
    expect(deadEndsOf(TRAVEL_CUSTOMER_JOURNEY)).toEqual(new Set());
    const def = JourneyDefinitionSchema.parse({
      name: 'Small',
      modules: ['Leads'],
      initial: 'a',
      states: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
        { id: 'lost', name: 'Lost' },
      ],
      transitions: [
        { id: 'on', from: ['a'], to: 'b', trigger: { type: 'leadConverted' } },
        { id: 'gone', from: ['a', 'b'], to: 'lost', trigger: { type: 'timeInState', after: { amount: 30, unit: 'days' } } },
        { id: 'revive', from: ['lost'], to: 'a', trigger: { type: 'manual' } },
        { id: 'any', from: '*', to: 'b', trigger: { type: 'manual' } },
      ],
    });
    expect(deadEndsOf(def)).toEqual(new Set(['lost']));
  });

  it('times out at the journey’s dropOffAfter (90 days unless it says), by start day', () => {
    const asOf = new Date('2027-06-01T08:00:00.000Z');
    expect(dropOffRules(TRAVEL_CUSTOMER_JOURNEY, asOf)).toEqual({ goal: 'promoter', deadEnds: new Set(), timedOutBefore: '2027-03-03' });
    expect(dropOffRules({ ...TRAVEL_CUSTOMER_JOURNEY, dropOffAfter: { amount: 12, unit: 'hours' } }, asOf, 'customer')).toMatchObject({ goal: 'customer', timedOutBefore: '2027-05-31' });
    expect(standingOf(['lead'], '2027-03-02', dropOffRules(TRAVEL_CUSTOMER_JOURNEY, asOf))).toBe('droppedOff');
    expect(standingOf(['lead'], '2027-03-03', dropOffRules(TRAVEL_CUSTOMER_JOURNEY, asOf))).toBe('inProgress');
  });
});
