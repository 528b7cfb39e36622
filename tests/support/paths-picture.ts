import { JourneyDefinitionSchema, goalOf, type JourneyDefinition } from '../../shared/domain/journey/definition.js';
import { dropOffRules, stateOutcomes, type RouteCount } from '../../shared/domain/journey/drop-off.js';
import { pathKey, recompute, type StateVisit } from '../../shared/domain/journey/report.js';
import type { PathsPicture } from '../../functions/journeys/paths-picture/svg.js';

/**
 * Journeys and their traffic for the paths picture's tests: customers walk a definition at random
 * (seeded, so a picture is the same on every run), and the report and drop-off are computed from their
 * histories exactly as the counters would give them.
 */

/** A small seeded generator (mulberry32): the same seed, the same walks. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const AS_OF = new Date('2027-06-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

/** `customers` random walks: each starts in the initial state on a day of the last 150, and takes automatic moves (a rare manual one) until it stops. */
export const walk = (def: JourneyDefinition, customers: number, seed: number): { histories: StateVisit[][]; routes: RouteCount[] } => {
  const random = seededRandom(seed);
  const histories: StateVisit[][] = [];
  const routes = new Map<string, RouteCount>();
  for (let c = 0; c < customers; c += 1) {
    let at = AS_OF.getTime() - Math.floor(random() * 150) * DAY_MS - 3_600_000;
    const visits: StateVisit[] = [{ state: def.initial, enteredAt: new Date(at).toISOString() }];
    for (let step = 0; step < 10 && random() > 0.22; step += 1) {
      const here = visits.at(-1)!.state;
      const ways = def.transitions.filter((t) => (t.from === '*' ? t.to !== here && random() < 0.04 : t.from.includes(here) && t.trigger.type !== 'manual'));
      if (ways.length === 0) break;
      at = Math.min(at + Math.floor(random() * 9 * DAY_MS), AS_OF.getTime() - 1000);
      const iso = new Date(at).toISOString();
      visits[visits.length - 1] = { ...visits.at(-1)!, leftAt: iso };
      visits.push({ state: ways[Math.floor(random() * ways.length)]!.to, enteredAt: iso });
    }
    histories.push(visits);
    const route = { path: pathKey(visits), startDay: visits[0]!.enteredAt.slice(0, 10) };
    const key = `${route.startDay}#${route.path}`;
    routes.set(key, { ...route, count: (routes.get(key)?.count ?? 0) + 1 });
  }
  return { histories, routes: [...routes.values()] };
};

/** The picture's input for a journey walked by `customers` customers. */
export const pictureOf = (def: JourneyDefinition, customers: number, seed: number, untravelled: 'hide' | 'show' = 'hide'): PathsPicture => {
  const goal = goalOf(def);
  const states = def.states.map((s) => s.id);
  const { histories, routes } = walk(def, customers, seed);
  return { definition: def, goal, report: recompute(histories, states, goal).report, outcomes: stateOutcomes(routes, states, dropOffRules(def, AS_OF, goal)), untravelled };
};

const STAGES = ['Inquiry', 'Discovery call', 'Needs analysis', 'Proposal sent', 'Negotiation', 'Contract review', 'Signed', 'Onboarding', 'First trip booked', 'Trip taken', 'Feedback survey', 'Loyal advocate'];

/** A journey of 12 states with many edges: a main line, skips forward, loops back, a fan out of the start and a manual way to the goal. */
export const twelveStateJourney = (): JourneyDefinition => {
  const ids = STAGES.map((_, i) => `stage-${i + 1}`);
  const transitions: Array<{ from: string[] | '*'; to: string }> = [];
  ids.forEach((id, i) => {
    if (i + 1 < ids.length) transitions.push({ from: [id], to: ids[i + 1]! });
    if (i + 2 < ids.length && i % 2 === 0) transitions.push({ from: [id], to: ids[i + 2]! });
    if (i >= 3 && i % 3 === 0) transitions.push({ from: [id], to: ids[i - 2]! });
  });
  transitions.push({ from: [ids[0]!], to: ids[4]! }, { from: [ids[0]!], to: ids[7]! }, { from: [ids[2]!, ids[5]!], to: ids[9]! }, { from: '*', to: ids[11]! });
  return JourneyDefinitionSchema.parse({
    name: 'Twelve-stage travel sales journey',
    modules: ['Leads'],
    initial: ids[0],
    states: ids.map((id, i) => ({ id, name: STAGES[i] })),
    transitions: transitions.map((t, i) => ({ id: `move-${i + 1}`, from: t.from, to: t.to, trigger: t.from === '*' ? { type: 'manual' } : { type: 'timeInState', after: { amount: 1 + (i % 5), unit: 'days' } } })),
  });
};
