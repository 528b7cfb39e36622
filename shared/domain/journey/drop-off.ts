import { durationMs, goalOf, type Duration, type JourneyDefinition } from './definition.js';

/**
 * Drop-off, defined once for the report, Pathfinder and the paths picture (README.md beside this file).
 *
 * Every instance started in the period is counted once per state its route passed:
 * - carried on: it left the state (its current state is another one);
 * - reached the goal: it is in the state now and its route has passed the goal;
 * - dropped off: it is in the state now, short of the goal, and either the state is a dead end (no
 *   transition but a manual one leaves it) or the instance timed out (it started before the cut-off);
 * - in progress: it is in the state now, short of the goal, and may still move on by itself.
 * So entered = carried on + in progress + reached the goal + dropped off, for every state.
 */

/** Instances that share a route (the states they went through, the last one being where they are now) and a start day. */
export interface RouteCount {
  /** States in order, as `pathKey` writes them ("lead>prospect>customer"). */
  path: string;
  /** The day the instances started (YYYY-MM-DD, UTC). */
  startDay: string;
  count: number;
}

export interface StateOutcome {
  state: string;
  entered: number;
  carriedOn: number;
  inProgress: number;
  reachedGoal: number;
  droppedOff: number;
  /** droppedOff ÷ entered; null when nobody entered. */
  rate: number | null;
}

export interface DropOffRules {
  goal: string;
  /** States no transition but a manual one leaves: an instance there ends there. */
  deadEnds: ReadonlySet<string>;
  /** Instances started before this day (YYYY-MM-DD) and still short of the goal have timed out. */
  timedOutBefore: string;
}

/** How long an instance has to reach the goal before it counts as dropped off where it stands, unless the journey says. */
export const DEFAULT_DROP_OFF_AFTER: Duration = { amount: 90, unit: 'days' };

/** States that only a person can move an instance out of (or nothing at all). */
export const deadEndsOf = (def: JourneyDefinition): Set<string> => {
  const leaves = (state: string) => def.transitions.some((t) => t.trigger.type !== 'manual' && (t.from === '*' ? t.to !== state : t.from.includes(state)));
  return new Set(def.states.map((s) => s.id).filter((id) => !leaves(id)));
};

/** The rules of a journey at a moment: its goal (or the one asked for), dead ends and time-out cut-off day. */
export const dropOffRules = (def: JourneyDefinition, asOf: Date, goal: string = goalOf(def)): DropOffRules => ({
  goal,
  deadEnds: deadEndsOf(def),
  timedOutBefore: new Date(asOf.getTime() - durationMs(def.dropOffAfter ?? DEFAULT_DROP_OFF_AFTER)).toISOString().slice(0, 10),
});

/** What became of one instance, as seen from its current state. */
export type Standing = 'reachedGoal' | 'droppedOff' | 'inProgress';

/** The standing of instances on a route (the path's states) that started on `startDay`. */
export const standingOf = (states: readonly string[], startDay: string, rules: DropOffRules): Standing => {
  if (states.includes(rules.goal)) return 'reachedGoal';
  if (rules.deadEnds.has(states.at(-1)!) || startDay < rules.timedOutBefore) return 'droppedOff';
  return 'inProgress';
};

/** Per state (in the order given), what became of the instances that entered it. O(routes × route length). */
export const stateOutcomes = (routes: readonly RouteCount[], states: readonly string[], rules: DropOffRules): StateOutcome[] => {
  const outcomes = new Map(states.map((state) => [state, { state, entered: 0, carriedOn: 0, inProgress: 0, reachedGoal: 0, droppedOff: 0 }]));
  for (const route of routes) {
    if (route.count <= 0 || route.path === '') continue;
    const path = route.path.split('>');
    const here = path.at(-1)!;
    const standing = standingOf(path, route.startDay, rules);
    for (const state of new Set(path)) {
      const outcome = outcomes.get(state);
      // A state no longer in the definition (an older version's) is not drawn or reported.
      if (!outcome) continue;
      outcome.entered += route.count;
      outcome[state === here ? standing : 'carriedOn'] += route.count;
    }
  }
  return [...outcomes.values()].map((o) => ({ ...o, rate: o.entered > 0 ? o.droppedOff / o.entered : null }));
};
