/**
 * The performance goals `npm run bench` checks (issue "One benchmark table"), in one table. A figure
 * names the goal it answers to; whether it is met is computed here from the figure, never written
 * by hand.
 */
import { TIMER_BUCKET_SECONDS } from '../../shared/domain/timers/timer.js';

export type GoalId = 'overhead' | 'transitions' | 'scale' | 'p99' | 'bundleSize' | 'load' | 'sfnBill' | 'wakeLateness' | 'openExecutions' | 'bill' | 'shadowWindow' | 'linear';

export interface Goal {
  /** As printed in the table's goal column. */
  text: string;
  /**
   * What is compared with `limit`: the figure's ratio to its same-run baseline, or its value in
   * `unit` (an absolute goal).
   */
  compares: 'ratio' | 'value';
  limit: number;
  /** `atMost`: value ≤ limit; `under`: value < limit. */
  bound: 'atMost' | 'under';
  unit: '×' | 'transitions' | 'ms' | 'bytes' | 'executions' | 'USD';
}

export const GOALS = {
  overhead: { text: '≤ 1.3× the bare DynamoDB calls', compares: 'ratio', limit: 1.3, bound: 'atMost', unit: '×' },
  transitions: { text: '≤ 2 state transitions per wake', compares: 'value', limit: 2, bound: 'atMost', unit: 'transitions' },
  scale: { text: '100 k ≤ 1.2× 1 k', compares: 'ratio', limit: 1.2, bound: 'atMost', unit: '×' },
  p99: { text: 'p99 < 1 s', compares: 'value', limit: 1000, bound: 'under', unit: 'ms' },
  // Decimal megabyte: the stricter reading of "1 MB".
  bundleSize: { text: '≤ 1 MB (1,000,000 bytes)', compares: 'value', limit: 1_000_000, bound: 'atMost', unit: 'bytes' },
  load: { text: '≤ 1.2× the SDK-only bundle', compares: 'ratio', limit: 1.2, bound: 'atMost', unit: '×' },
  // The design's quality bar: Step Functions' bill for all waits is at most 10 % of SES's for the same mail.
  sfnBill: { text: '≤ 0.10× SES\'s bill for the same mail', compares: 'ratio', limit: 0.1, bound: 'atMost', unit: '×' },
  // Issue 17 §4: a wake is late by at most the bucket's width (60 s) plus 5 s, at p99.
  wakeLateness: { text: 'p99 ≤ bucket width + 5 s (65 s)', compares: 'value', limit: (TIMER_BUCKET_SECONDS + 5) * 1000, bound: 'atMost', unit: 'ms' },
  // Issue 17 §4: open executions follow buckets, not waits: at most one per bucket that has waits.
  openExecutions: { text: 'one per bucket with waits, not per wait (≤ 1× buckets)', compares: 'ratio', limit: 1, bound: 'atMost', unit: 'executions' },
  // Issue 17 §5: the mail is the irreducible cost; Keiro's own bill (everything but SES) is at most SES's.
  bill: { text: "Keiro's own bill ≤ the SES bill of the story's mail (≤ 1×)", compares: 'ratio', limit: 1, bound: 'atMost', unit: 'USD' },
  // Issue 19: a shadow run over 10,000 recorded changes within 10 s of the local cloud, growing linearly.
  shadowWindow: { text: '10,000 changes ≤ 10 s', compares: 'value', limit: 10_000, bound: 'atMost', unit: 'ms' },
  linear: { text: 'per change ≤ 1.2× the smallest window (linear)', compares: 'ratio', limit: 1.2, bound: 'atMost', unit: '×' },
} as const satisfies Record<GoalId, Goal>;

export type Verdict = 'met' | 'NOT met';

/** The measured figure in the goal's terms: `value` (in the goal's unit) and/or `ratio` to the baseline. */
export interface Measured {
  value?: number;
  ratio?: number;
}

/** The number a goal judges: the figure's ratio or its value, as the goal says. */
export const comparedNumber = (goal: Goal, measured: Measured): number | undefined => (goal.compares === 'ratio' ? measured.ratio : measured.value);

/**
 * Met when the compared number is finite and within the limit. A missing or non-finite number (not
 * measured, a zero baseline) is NOT met: a goal is never passed by default.
 */
export const verdict = (goal: Goal, measured: Measured): Verdict => {
  const x = comparedNumber(goal, measured);
  if (x === undefined || !Number.isFinite(x)) return 'NOT met';
  return (goal.bound === 'atMost' ? x <= goal.limit : x < goal.limit) ? 'met' : 'NOT met';
};

/** `measured ÷ baseline`; NaN when either is not a finite number or the baseline is not positive. */
export const ratio = (measured: number, baseline: number): number =>
  Number.isFinite(measured) && Number.isFinite(baseline) && baseline > 0 ? measured / baseline : Number.NaN;
