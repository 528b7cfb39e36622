import type { BillBench } from './bill.js';
import type { BundleBench } from './bundles.js';
import type { CadenceBench } from './cadence.js';
import { ratio } from './goals.js';
import type { JourneyBench } from './journeys.js';
import { TRIP_GOAL, tripLimit, tripSummary, type TripCount } from './round-trips.js';
import type { BenchRow } from './stats.js';
import { fmtKb, fmtMs, type Figure } from './table.js';
import type { TimerBench } from './timer.js';
import type { TimerBucketsBench } from './timer-buckets.js';

/**
 * Each benchmark's result as rows of the consolidated table (table.ts). Pure: the numbers come from
 * the run, the verdicts from goals.ts.
 */

export const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;

/**
 * How an operation was called: `in-process` as Lambda runs it (an API Gateway event with verified
 * claims, or a bus event, handed to the handler in this process), judged against the overhead goal; or
 * `HTTP` through the local API server (HTTP hop and token check included, which API Gateway does in
 * AWS), information only.
 */
export type Invocation = 'in-process' | 'HTTP';

/** What a row's baseline was, as its cell says it (stats.ts `BenchRow`). */
const operationBaseline = (row: BenchRow): string =>
  row.baseline === 'replay'
    ? `its DynamoDB calls replayed bare: p50 ${fmtMs(row.rawP50)}`
    : `its own DynamoDB calls, same sample: p50 ${fmtMs(row.rawP50)}${row.replayP50 === undefined ? '' : ` (replayed bare: p50 ${fmtMs(row.replayP50)})`}; ratio = p50 of per-sample ratios`;

/**
 * An operation against its DynamoDB calls (records, processes, rule run, kiosk run): the row's own
 * ratio, per-sample for paired rows, p50 ÷ replay p50 otherwise.
 */
export const operationFigure = (area: string, row: BenchRow, invocation: Invocation): Figure => ({
  area,
  what: `${row.operation} ${invocation === 'HTTP' ? 'over HTTP' : 'in-process'}, concurrency ${row.concurrency}`,
  measured: `p50 ${fmtMs(row.p50)} · p99 ${fmtMs(row.p99)}${row.ownP50 === undefined ? '' : ` · Keiro's own p50 ${fmtMs(row.ownP50)}`} · round trips ${row.roundTrips}`,
  baseline: operationBaseline(row),
  ratio: row.ratio,
  ...(invocation === 'in-process' ? { goal: { id: 'overhead' as const, ratio: row.ratio } } : {}),
});

/** The shared timer: transitions per wake of waits due together, against one execution per wait (2 each, as before buckets). */
export const timerFigures = (b: TimerBench): Figure[] => [
  {
    area: 'timer',
    what: `state transitions per wake (${b.wakes} wakes due together)`,
    measured: `${b.transitionsPerWake.toFixed(2)} per wake · ${usd(b.usdPerMillionWakes)} per 1 M wakes`,
    baseline: `one execution per wait (before buckets): 2.00 · ${usd(b.usdPerMillionWakesPerExecution)} per 1 M`,
    ratio: ratio(b.transitionsPerWake, 2),
    goal: { id: 'transitions', value: b.transitionsPerWake },
  },
];

/** Waits carried by time buckets: 100,000 pending cadence steps over a day (transitions, open executions, the bill, lateness). */
export const timerBucketFigures = (b: TimerBucketsBench): Figure[] => {
  const waits = b.waits.toLocaleString('en-US');
  return [
    {
      area: 'timer',
      what: `${waits} pending cadence steps over a day: Step Functions bill`,
      measured: `${b.transitions.toLocaleString('en-US')} transitions (${b.executions} executions, ${b.buckets} buckets): ${usd(b.sfnUsd)}`,
      baseline: `SES for the same ${waits} emails: ${usd(b.sesUsd)}`,
      ratio: ratio(b.sfnUsd, b.sesUsd),
      goal: { id: 'sfnBill', ratio: ratio(b.sfnUsd, b.sesUsd) },
    },
    {
      area: 'timer',
      what: `${waits} pending cadence steps over a day: open executions`,
      measured: `${b.openExecutions.toLocaleString('en-US')}`,
      baseline: `buckets with waits: ${b.buckets.toLocaleString('en-US')} (one per wait before buckets: ${b.openExecutionsPerWait.toLocaleString('en-US')})`,
      ratio: ratio(b.openExecutions, b.buckets),
      goal: { id: 'openExecutions', ratio: ratio(b.openExecutions, b.buckets) },
    },
    {
      area: 'timer',
      what: `${waits} pending cadence steps over a day: how late a wake is`,
      measured: `p50 ${(b.lateP50 / 1000).toFixed(1)} s · p99 ${(b.lateP99 / 1000).toFixed(1)} s`,
      baseline: `rounding up to the bucket alone: p99 ${(b.roundingP99 / 1000).toFixed(1)} s`,
      ratio: ratio(b.lateP99, b.roundingP99),
      goal: { id: 'wakeLateness', value: b.lateP99 },
    },
  ];
};

/** Cadence sending (transitions, the Step Functions cost model) and planning (enroll + plan vs the pure planner). */
export const cadenceFigures = (b: CadenceBench, timer: TimerBench | undefined): Figure[] => [
  {
    area: 'cadences',
    what: 'sending: state transitions per email step',
    measured: `${b.transitionsPerStep.toFixed(2)} (${b.executions} timer executions, ${b.catchUps} of them catch-ups, for ${b.enrollments} enrollments × ${b.steps} emails)`,
    baseline: timer ? `a bare timer wake: ${timer.transitionsPerWake.toFixed(2)}` : 'n/a (timer not run)',
    ...(timer ? { ratio: ratio(b.transitionsPerStep, timer.transitionsPerWake) } : {}),
    goal: { id: 'transitions', value: b.transitionsPerStep },
  },
  {
    area: 'cadences',
    what: `sending: Step Functions cost per 1 M enrollments × ${b.steps} steps`,
    measured: `${usd(b.sfnUsdPerMillionEnrollments)} (Standard, $0.025 per 1,000 transitions)`,
    baseline: `SES for the same emails: ${usd(b.sesUsdPerMillionEnrollments)}`,
    ratio: ratio(b.sfnUsdPerMillionEnrollments, b.sesUsdPerMillionEnrollments),
    goal: { id: 'sfnBill', ratio: ratio(b.sfnUsdPerMillionEnrollments, b.sesUsdPerMillionEnrollments) },
  },
  {
    area: 'cadences',
    what: 'planning: enroll + plan (one transaction each, concurrency 8)',
    measured: perSecond(b.enrollPerSecond),
    baseline: `the pure planner alone: ${perSecond(b.planPerSecond)}`,
    // Time per enrollment ÷ time per plan.
    ratio: ratio(b.planPerSecond, b.enrollPerSecond),
  },
];

/** Journey change → state (against the record change alone) and report/paths at 100 k (against 1 k). */
export const journeyFigures = (b: JourneyBench): Figure[] => {
  const figures: Figure[] = [
    {
      area: 'journeys',
      what: `record change → journey state (${b.delay.samples} samples, local stream poller every 200 ms)`,
      measured: `p50 ${fmtMs(b.delay.p50)} · p99 ${fmtMs(b.delay.p99)}`,
      baseline: `the record change alone: p50 ${fmtMs(b.delay.changeP50)}`,
      ratio: ratio(b.delay.p50, b.delay.changeP50),
      goal: { id: 'p99', value: b.delay.p99 },
    },
  ];
  const whats = [...new Set(b.rows.map((r) => r.what))];
  for (const what of whats) {
    const small = b.rows.find((r) => r.what === what && r.instances === 1_000);
    const large = b.rows.find((r) => r.what === what && r.instances === 100_000);
    if (!small || !large) throw new Error(`journey ${what}: both 1,000 and 100,000 instances are needed`);
    figures.push({
      area: 'journeys',
      what: `${what} at 100 k instances`,
      measured: `p50 ${fmtMs(large.p50)} · p99 ${fmtMs(large.p99)} · ${large.items} items read`,
      baseline: `1 k instances: p50 ${fmtMs(small.p50)} · p99 ${fmtMs(small.p99)}`,
      ratio: ratio(large.p50, small.p50),
      goal: { id: 'scale', ratio: ratio(large.p50, small.p50) },
    });
  }
  return figures;
};

const sdkName = (pkgs: readonly string[]): string => (pkgs.length > 0 ? pkgs.map((p) => p.replace('@aws-sdk/', '')).join(', ') : 'no SDK client');

/** Per Lambda: bundle size (against 1 MB; the SDK-only bundle beside it) and module-load time (against the SDK-only bundle). */
export const bundleFigures = (results: readonly BundleBench[]): Figure[] =>
  results.flatMap((b) => [
    {
      area: 'bundles',
      what: `${b.entry}: size`,
      measured: `${fmtKb(b.bytes)} (largest: ${b.largest.map(([pkg, bytes]) => `${pkg} ${fmtKb(bytes)}`).join(', ')}; + source map ${fmtKb(b.sourceMapBytes)}${b.copiedBytes > 0 ? `, + copied files ${fmtKb(b.copiedBytes)}` : ''})`,
      baseline: `SDK only (${sdkName(b.sdkPackages)}): ${fmtKb(b.sdkBytes)}`,
      ratio: ratio(b.bytes, b.sdkBytes),
      goal: { id: 'bundleSize', value: b.bytes },
    },
    {
      area: 'bundles',
      what: `${b.entry}: module load`,
      measured: `${fmtMs(b.loadMs)} CPU (median of ${b.runs} fresh processes; wall ${fmtMs(b.loadWallMs)})`,
      baseline: `SDK only: ${fmtMs(b.sdkLoadMs)} CPU (wall ${fmtMs(b.sdkLoadWallMs)})`,
      ratio: ratio(b.loadMs, b.sdkLoadMs),
      goal: { id: 'load', ratio: ratio(b.loadMs, b.sdkLoadMs) },
    },
  ]);

/** Issue 17 §5: one customer's story, priced for 1 M stories; Keiro's own bill against the SES bill of its mail. */
export const billFigures = (b: BillBench): Figure[] => [
  {
    area: 'bill',
    what: `the demo's story × ${b.stories.toLocaleString('en-US')}: Keiro's own bill (all but SES)`,
    measured: `${usd(b.keiroUsd)} (${b.lines.filter((l) => l.service !== 'SES').map((l) => `${l.service} ${usd(l.usd)}`).join(' · ')})`,
    baseline: `SES for the story's ${b.emails} emails: ${usd(b.sesUsd)}`,
    ratio: ratio(b.keiroUsd, b.sesUsd),
    goal: { id: 'bill', ratio: ratio(b.keiroUsd, b.sesUsd) },
  },
];

/** Round trips of each command, read and consumer (issue 17 §2), against the goal's limit for its kind. */
export const roundTripFigures = (counts: readonly TripCount[]): Figure[] =>
  counts.map((c) => ({
    area: 'round trips',
    what: `${c.operation} (${c.kind}, warm container)`,
    measured: tripSummary(c),
    baseline: `the goal's ${tripLimit(c.kind)}`,
    ratio: ratio(c.calls, tripLimit(c.kind)),
    goal: { id: TRIP_GOAL[c.kind], value: c.calls },
  }));
