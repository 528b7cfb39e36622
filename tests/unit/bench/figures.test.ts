import { describe, expect, it } from 'vitest';
import type { BundleBench } from '../../bench/bundles.js';
import type { CadenceBench } from '../../bench/cadence.js';
import { bundleFigures, cadenceFigures, journeyFigures, operationFigure, timerBucketFigures, timerFigures } from '../../bench/figures.js';
import type { TimerBucketsBench } from '../../bench/timer-buckets.js';
import type { JourneyBench } from '../../bench/journeys.js';
import type { BenchRow } from '../../bench/stats.js';
import { figureVerdict } from '../../bench/table.js';
import type { TimerBench } from '../../bench/timer.js';

const timer: TimerBench = { wakes: 100, transitionsPerWake: 2, usdPerMillionWakes: 50, usdPerMillionWakesPerExecution: 50 };
const cadence: CadenceBench = { enrollments: 40, steps: 5, emails: 200, executions: 200, catchUps: 3, transitionsPerStep: 2, sfnUsdPerMillionEnrollments: 250, sesUsdPerMillionEnrollments: 500, enrollPerSecond: 45, planPerSecond: 9_600 };

describe('bench figures', () => {
  it('an operation invoked in-process is judged on its own ratio (p50 of per-sample ratios when paired); over HTTP it is information', () => {
    const patch: BenchRow = { operation: 'patch', concurrency: 1, p50: 10.5, p99: 40, roundTrips: '2 (BatchGetItem×1, TransactWriteItems×1)', baseline: 'paired', rawP50: 8.93, ratio: 1.176, ownP50: 1.6 };
    const ok = operationFigure('records', patch, 'in-process');
    expect(ok).toMatchObject({ area: 'records', what: 'patch in-process, concurrency 1', baseline: 'its own DynamoDB calls, same sample: p50 8.9 ms; ratio = p50 of per-sample ratios', goal: { id: 'overhead', ratio: 1.176 } });
    expect(ok.measured).toBe("p50 10.5 ms · p99 40.0 ms · Keiro's own p50 1.6 ms · round trips 2 (BatchGetItem×1, TransactWriteItems×1)");
    // The per-sample ratio, not p50 ÷ p50 (10.5 / 8.93 = 1.1758 would round the same, 11.27 / 8.93 would not).
    expect(ok.ratio).toBe(1.176);
    expect(figureVerdict(ok)).toBe('met');
    expect(figureVerdict(operationFigure('records', { ...patch, ratio: 1.262 }, 'in-process'))).toBe('NOT met');
    expect(figureVerdict(operationFigure('records', { ...patch, p50: 11.27 }, 'in-process'))).toBe('met');
    const read = operationFigure('records', { ...patch, operation: 'get', replayP50: 7.04 }, 'in-process');
    expect(read.baseline).toBe('its own DynamoDB calls, same sample: p50 8.9 ms (replayed bare: p50 7.0 ms); ratio = p50 of per-sample ratios');
    const http = operationFigure('records', { ...patch, baseline: 'replay', ownP50: undefined, p50: 30, ratio: 30 / 8.93 }, 'HTTP');
    expect(http).toMatchObject({ what: 'patch over HTTP, concurrency 1', baseline: 'its DynamoDB calls replayed bare: p50 8.9 ms' });
    expect(http.ratio).toBeCloseTo(30 / 8.93);
    expect(http.goal).toBeUndefined();
    expect(figureVerdict(http)).toBeUndefined();
  });

  it('the timer and cadence sending are judged on transitions per wake, and the cadence bill on its ratio to SES', () => {
    const [wake] = timerFigures(timer);
    expect(wake!.measured).toBe('2.00 per wake · $50.00 per 1 M wakes');
    expect(wake!.ratio).toBe(1);
    expect(figureVerdict(wake!)).toBe('met');
    expect(figureVerdict(timerFigures({ ...timer, transitionsPerWake: 3 })[0]!)).toBe('NOT met');

    const [sending, cost, planning] = cadenceFigures(cadence, timer);
    expect(sending!.baseline).toBe('a bare timer wake: 2.00');
    expect(sending!.ratio).toBe(1);
    expect(figureVerdict(sending!)).toBe('met');
    expect(cost!.measured).toContain('$250.00');
    expect(cost!.baseline).toBe('SES for the same emails: $500.00');
    expect(cost!.ratio).toBe(0.5);
    expect(figureVerdict(cost!)).toBe('NOT met');
    expect(figureVerdict(cadenceFigures({ ...cadence, sfnUsdPerMillionEnrollments: 50 }, timer)[1]!)).toBe('met');
    expect(planning!.measured).toBe('45/s');
    expect(planning!.baseline).toBe('the pure planner alone: 9,600/s');
    expect(planning!.ratio).toBeCloseTo(9600 / 45);
    expect(cadenceFigures({ ...cadence, transitionsPerStep: 2.4 }, undefined)[0]).toMatchObject({ baseline: 'n/a (timer not run)' });
    expect(figureVerdict(cadenceFigures({ ...cadence, transitionsPerStep: 2.4 }, undefined)[0]!)).toBe('NOT met');
  });

  it('timer buckets: the bill against SES, open executions against buckets, and the p99 lateness against the bucket width + 5 s', () => {
    const bench: TimerBucketsBench = {
      waits: 100_000, buckets: 1_440, executions: 1_440, transitions: 5_760, openExecutions: 1_440, openExecutionsPerWait: 100_000,
      sfnUsd: 0.144, sesUsd: 10, lateP50: 30_000, lateP99: 60_200, roundingP99: 59_400, pagingP99: 800, wallSeconds: 200, reruns: 0, failedPasses: [],
      phases: { writeSeconds: 40, openSeconds: 20, daySeconds: 140 }, loadAverage: [2.1, 3.4],
    };
    const [bill, open, late] = timerBucketFigures(bench);
    expect(bill!.ratio).toBeCloseTo(0.0144);
    expect(figureVerdict(bill!)).toBe('met');
    expect(figureVerdict(timerBucketFigures({ ...bench, sfnUsd: 1.2 })[0]!)).toBe('NOT met');
    expect(open!.ratio).toBe(1);
    expect(figureVerdict(open!)).toBe('met');
    expect(figureVerdict(timerBucketFigures({ ...bench, openExecutions: 100_000 })[1]!)).toBe('NOT met');
    expect(late!.measured).toBe('p50 30.0 s · p99 60.2 s');
    expect(figureVerdict(late!)).toBe('met');
    expect(figureVerdict(timerBucketFigures({ ...bench, lateP99: 65_001 })[2]!)).toBe('NOT met');
  });

  it('journeys: the delay on its p99, report and paths at 100 k on their ratio to 1 k', () => {
    const bench: JourneyBench = {
      rows: [
        { what: 'report', instances: 1_000, items: 66, p50: 13.1, p99: 32.2 },
        { what: 'report', instances: 100_000, items: 66, p50: 15.4, p99: 43.3 },
        { what: 'paths', instances: 1_000, items: 66, p50: 10, p99: 30 },
        { what: 'paths', instances: 100_000, items: 66, p50: 12.5, p99: 35 },
      ],
      delay: { samples: 50, p50: 142, p99: 1200, changeP50: 14.2 },
    };
    const [delay, report, paths] = journeyFigures(bench);
    expect(delay!.ratio).toBeCloseTo(10);
    expect(figureVerdict(delay!)).toBe('NOT met');
    expect(figureVerdict(journeyFigures({ ...bench, delay: { ...bench.delay, p99: 554 } })[0]!)).toBe('met');
    expect(report).toMatchObject({ what: 'report at 100 k instances', baseline: '1 k instances: p50 13.1 ms · p99 32.2 ms' });
    expect(report!.ratio).toBeCloseTo(15.4 / 13.1);
    expect(figureVerdict(report!)).toBe('met');
    expect(paths!.ratio).toBe(1.25);
    expect(figureVerdict(paths!)).toBe('NOT met');
    expect(() => journeyFigures({ ...bench, rows: bench.rows.slice(0, 1) })).toThrow(/1,000 and 100,000/);
  });

  it('each Lambda gives a size row (against 1 MB) and a load row (against its SDK-only bundle)', () => {
    const b: BundleBench = {
      name: 'api/RecordsArea',
      entry: 'functions/records/handler.ts',
      bytes: 1_245_593,
      sourceMapBytes: 1_675_418,
      copiedBytes: 0,
      largest: [['zod', 454_875], ['@smithy/core', 134_200]],
      sdkPackages: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
      sdkBytes: 409_855,
      loadMs: 219.4,
      sdkLoadMs: 180,
      loadWallMs: 900,
      sdkLoadWallMs: 300,
      runs: 5,
    };
    const [size, load] = bundleFigures([b]);
    expect(size).toMatchObject({ what: 'functions/records/handler.ts: size', baseline: 'SDK only (client-dynamodb, lib-dynamodb): 409.9 kB' });
    expect(size!.measured).toBe('1,245.6 kB (largest: zod 454.9 kB, @smithy/core 134.2 kB; + source map 1,675.4 kB)');
    expect(figureVerdict(size!)).toBe('NOT met');
    expect(figureVerdict(bundleFigures([{ ...b, bytes: 999_999 }])[0]!)).toBe('met');
    expect(load).toMatchObject({ measured: '219 ms CPU (median of 5 fresh processes; wall 900 ms)', baseline: 'SDK only: 180 ms CPU (wall 300 ms)' });
    // Judged on CPU time; the wall time (here 3×) is information.
    expect(load!.ratio).toBeCloseTo(219.4 / 180);
    expect(figureVerdict(load!)).toBe('NOT met');
    expect(figureVerdict(bundleFigures([{ ...b, loadMs: 200 }])[1]!)).toBe('met');
    expect(bundleFigures([{ ...b, copiedBytes: 1_103_471, sdkPackages: [] }])[0]).toMatchObject({ baseline: 'SDK only (no SDK client): 409.9 kB' });
    expect(bundleFigures([{ ...b, copiedBytes: 1_103_471 }])[0]!.measured).toContain('+ copied files 1,103.5 kB');
  });
});
