/**
 * Journey reports and Pathfinder, kept incrementally: every instance change yields counter deltas
 * (DynamoDB ADDs in the same transaction as the change), and a report is computed from the counters
 * alone. Its cost grows with states, days and distinct paths — never with the number of records.
 *
 * Time in state: the sum and count give the exact average; a log-scale histogram gives the median
 * within a stated error (bucket ratio BUCKET_RATIO: the median's relative error is at most
 * (BUCKET_RATIO - 1) / 2 ≈ 2.5%, reported as the bucket's geometric middle).
 */

/** Buckets grow by 5% from 1 s: bucket b holds durations in [1 s · r^b, 1 s · r^(b+1)). Under 1 s is bucket -1. */
export const BUCKET_RATIO = 1.05;
const BUCKET_BASE_MS = 1000;
export const MEDIAN_RELATIVE_ERROR = (BUCKET_RATIO - 1) / 2;

export const bucketOf = (ms: number): number => (ms < BUCKET_BASE_MS ? -1 : Math.floor(Math.log(ms / BUCKET_BASE_MS) / Math.log(BUCKET_RATIO)));
/** A bucket's representative duration: its geometric middle (0.5 s for the sub-second bucket). */
export const bucketValue = (bucket: number): number => (bucket < 0 ? BUCKET_BASE_MS / 2 : BUCKET_BASE_MS * BUCKET_RATIO ** (bucket + 0.5));

/** One step of an instance's history, as the report sees it. */
export interface StateVisit {
  state: string;
  enteredAt: string;
  leftAt?: string;
}

/** Counter names of one day's report item (flat attributes, so each update is a plain ADD). */
export const counter = {
  entered: (state: string) => `e#${state}`,
  exited: (state: string) => `x#${state}`,
  totalMs: (state: string) => `t#${state}`,
  bucket: (state: string, bucket: number) => `h#${state}#${bucket}`,
  transition: (from: string, to: string) => `tr#${from}#${to}`,
  started: 'started',
};

/** What the instance's "now in state" item counts: current occupancy, not per day. */
export const nowCounter = (state: string) => `n#${state}`;

export type Deltas = Record<string, number>;

export interface ReportChange {
  /** Per-day counters: day (YYYY-MM-DD, UTC) → counter → delta. */
  daily: Record<string, Deltas>;
  /** Occupancy: counter → delta. */
  now: Deltas;
  /** Path counters: path key → delta (see pathKey). */
  paths: Record<string, number>;
}

const add = (deltas: Deltas, key: string, by = 1) => {
  deltas[key] = (deltas[key] ?? 0) + by;
};
const dayOf = (iso: string) => iso.slice(0, 10);

/** Paths longer than this keep their last states only (a loop cannot make a key grow without end). */
export const MAX_PATH_STATES = 30;

/**
 * A path as Pathfinder counts it: the states an instance went through, in order (a state entered
 * again right after itself counts once). The goal is applied when the paths are read, so any state
 * can be the goal of a query.
 */
export const pathKey = (visits: readonly StateVisit[]): string => {
  const states: string[] = [];
  for (const v of visits) if (states.at(-1) !== v.state) states.push(v.state);
  return states.slice(-MAX_PATH_STATES).join('>');
};

/**
 * The counter deltas of one instance change: from the visits before to the visits after (the same
 * instance, with one state left and/or one entered). Pure, so the same function feeds the transaction
 * and the recomputation test.
 */
export const reportChange = (before: readonly StateVisit[], after: readonly StateVisit[]): ReportChange => {
  const change: ReportChange = { daily: {}, now: {}, paths: {} };
  const daily = (day: string) => (change.daily[day] ??= {});
  if (before.length === 0 && after.length > 0) add(daily(dayOf(after[0]!.enteredAt)), counter.started);
  after.forEach((visit, i) => {
    const old = before[i];
    if (!old) {
      add(daily(dayOf(visit.enteredAt)), counter.entered(visit.state));
      add(change.now, nowCounter(visit.state));
      const previous = after[i - 1];
      if (previous) add(daily(dayOf(visit.enteredAt)), counter.transition(previous.state, visit.state));
    }
    if (visit.leftAt && !old?.leftAt) {
      const ms = Math.max(0, Date.parse(visit.leftAt) - Date.parse(visit.enteredAt));
      const day = daily(dayOf(visit.leftAt));
      add(day, counter.exited(visit.state));
      add(day, counter.totalMs(visit.state), ms);
      add(day, counter.bucket(visit.state, bucketOf(ms)));
      add(change.now, nowCounter(visit.state), -1);
    }
  });
  const from = before.length > 0 ? pathKey(before) : undefined;
  const to = pathKey(after);
  if (from !== to) {
    if (from !== undefined) change.paths[from] = (change.paths[from] ?? 0) - 1;
    change.paths[to] = (change.paths[to] ?? 0) + 1;
  }
  return change;
};

export interface StateFigures {
  state: string;
  now: number;
  entered: number;
  exited: number;
  averageMs: number | null;
  medianMs: number | null;
}

export interface TransitionFigures {
  from: string;
  to: string;
  count: number;
  /** count ÷ entered(from) in the period. */
  conversionRate: number | null;
}

export interface JourneyReport {
  states: StateFigures[];
  transitions: TransitionFigures[];
  started: number;
  medianRelativeError: number;
}

/** Sums the per-day counters of a period. */
export const sumDays = (days: readonly Deltas[]): Deltas => {
  const total: Deltas = {};
  for (const day of days) for (const [k, v] of Object.entries(day)) if (typeof v === 'number') add(total, k, v);
  return total;
};

const medianOf = (histogram: Array<[number, number]>): number | null => {
  const total = histogram.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
  // The lower median for an even count, as the recomputation uses.
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (const [bucket, n] of sorted) {
    seen += n;
    if (seen >= rank) return bucketValue(bucket);
  }
  return null;
};

/** The report from the counters of a period (summed days) and the occupancy now. O(states + transitions + buckets). */
export const buildReport = (states: readonly string[], period: Deltas, now: Deltas): JourneyReport => {
  const figures = states.map((state): StateFigures => {
    const entered = period[counter.entered(state)] ?? 0;
    const exited = period[counter.exited(state)] ?? 0;
    const prefix = `h#${state}#`;
    const histogram = Object.entries(period)
      .filter(([k, v]) => k.startsWith(prefix) && v > 0)
      .map(([k, v]) => [Number(k.slice(prefix.length)), v] as [number, number]);
    return {
      state,
      now: Math.max(0, now[nowCounter(state)] ?? 0),
      entered,
      exited,
      averageMs: exited > 0 ? (period[counter.totalMs(state)] ?? 0) / exited : null,
      medianMs: medianOf(histogram),
    };
  });
  const entered = new Map(figures.map((f) => [f.state, f.entered]));
  const transitions = Object.entries(period)
    .filter(([k, v]) => k.startsWith('tr#') && v > 0)
    .map(([k, count]) => {
      const [, from, to] = k.split('#') as [string, string, string];
      const base = entered.get(from) ?? 0;
      return { from, to, count, conversionRate: base > 0 ? count / base : null };
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { states: figures, transitions, started: period[counter.started] ?? 0, medianRelativeError: MEDIAN_RELATIVE_ERROR };
};

export interface PathFigures {
  /** The route: the states before the goal (or the whole path, if it never reached it). */
  states: string[];
  count: number;
  reachedGoal: number;
  goalConversion: number;
}

export interface PathsReport {
  goal: string;
  paths: PathFigures[];
}

/**
 * The most frequent routes to `goal` with their goal conversion, from the path counters (drop-off per
 * state is drop-off.ts's). O(distinct paths).
 */
export const buildPaths = (paths: Record<string, number>, goal: string, limit = 20): PathsReport => {
  const routes = new Map<string, { goal: number; open: number }>();
  for (const [key, count] of Object.entries(paths)) {
    if (count <= 0 || key === '') continue;
    const states = key.split('>');
    const at = states.indexOf(goal);
    const route = at >= 0 ? states.slice(0, at) : states;
    const entry = routes.get(route.join('>')) ?? { goal: 0, open: 0 };
    if (at >= 0) entry.goal += count;
    else entry.open += count;
    routes.set(route.join('>'), entry);
  }
  const figures = [...routes]
    .map(([route, { goal: reached, open }]) => ({ states: route ? route.split('>') : [], count: reached + open, reachedGoal: reached, goalConversion: reached / (reached + open) }))
    .sort((a, b) => b.count - a.count || b.goalConversion - a.goalConversion || a.states.join('>').localeCompare(b.states.join('>')))
    .slice(0, limit);
  return { goal, paths: figures };
};

/**
 * The same figures recomputed from every instance's history (the test oracle, and an admin's check):
 * what the counters must equal, medians within MEDIAN_RELATIVE_ERROR.
 */
export const recompute = (histories: ReadonlyArray<readonly StateVisit[]>, states: readonly string[], goal: string, range: { from?: string; to?: string } = {}) => {
  const inRange = (iso: string) => (!range.from || dayOf(iso) >= range.from) && (!range.to || dayOf(iso) <= range.to);
  const exact = new Map<string, number[]>();
  const period: Deltas = {};
  const now: Deltas = {};
  const paths: Record<string, number> = {};
  for (const visits of histories) {
    if (visits.length === 0) continue;
    if (inRange(visits[0]!.enteredAt)) add(period, counter.started);
    visits.forEach((v, i) => {
      if (inRange(v.enteredAt)) {
        add(period, counter.entered(v.state));
        if (i > 0) add(period, counter.transition(visits[i - 1]!.state, v.state));
      }
      if (!v.leftAt) add(now, nowCounter(v.state));
      else if (inRange(v.leftAt)) {
        const ms = Math.max(0, Date.parse(v.leftAt) - Date.parse(v.enteredAt));
        add(period, counter.exited(v.state));
        add(period, counter.totalMs(v.state), ms);
        add(period, counter.bucket(v.state, bucketOf(ms)));
        exact.set(v.state, [...(exact.get(v.state) ?? []), ms]);
      }
    });
    add(paths, pathKey(visits));
  }
  const exactMedians = new Map([...exact].map(([state, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return [state, sorted[Math.ceil(sorted.length / 2) - 1]!];
  }));
  return { report: buildReport(states, period, now), paths: buildPaths(paths, goal, Number.MAX_SAFE_INTEGER), exactMedians };
};
