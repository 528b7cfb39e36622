import { loadavg } from 'node:os';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { TIMER_BUCKET_SECONDS, timerBucket, type TimerRequest } from '../../shared/domain/timers/timer.js';
import { startTimerRuns, timerTransactItem } from '../../shared/db/timers.js';
import { batchWrite } from '../../shared/db/batch-write.js';
import { createLocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { TIMER_STATES, timerWorkflow } from '../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../stepfunctions/timer/tasks/wake.js';
import { percentile } from './stats.js';
import { OPEN_EXECUTIONS_QUOTA, USD_PER_1000_TRANSITIONS } from './timer.js';
import { USD_PER_1000_EMAILS } from './cadence.js';

const DAY_MS = 86_400_000;

const progress = (what: string) => console.error(`timer buckets: ${what}`);

export interface TimerBucketsBench {
  /** Pending cadence steps, spread evenly at random over a day of the cloud's time. */
  waits: number;
  buckets: number;
  executions: number;
  transitions: number;
  /** Executions open at once at the start (one per bucket that has waits), and the old design's count. */
  openExecutions: number;
  openExecutionsPerWait: number;
  sfnUsd: number;
  sesUsd: number;
  /** How late a wake is (ms): its bucket's opening after its wakeAt, plus how long its bucket's pass took to reach it. */
  lateP50: number;
  lateP99: number;
  /** The two parts of the p99: the rounding up to the bucket, and the paging (measured here, unscaled). */
  roundingP99: number;
  pagingP99: number;
  /**
   * Handler calls beyond one per wait, and the Wake passes that failed (then retried by the state
   * machine). A pass that fails after its handlers ran, before their completions were written, leaves
   * them to its retry, which calls them again: a real feature's token makes that call stale.
   */
  reruns: number;
  failedPasses: string[];
  wallSeconds: number;
  /** Wall time of writing the waits, opening the buckets, and the simulated day (until the last wake). */
  phases: { writeSeconds: number; openSeconds: number; daySeconds: number };
  /** The machine's 1-minute load average when the run started and when it ended. */
  loadAverage: [number, number];
}

/** A small deterministic generator (mulberry32): the same spread on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/**
 * `waits` cadence steps pending over the next day, woken by the timer ASL that CDK synthesizes on the
 * local runner, a simulated day in about `wallSeconds` of wall time. The waits are written as
 * commands write them (timerTransactItem, in batches here); each bucket's execution is opened as
 * start-timer opens it. The wake handler only notes when it ran: what a cadence step does on waking
 * is Lambda's and SES's bill, not Step Functions'.
 * Lateness: the Wait in Step Functions fires at the bucket's opening (AWS does not promise better
 * than about a second, which the goal's 5 s covers), so a wake's lateness is (bucket − wakeAt),
 * exact, plus the real time its bucket's pass took to reach it (measured, not scaled).
 */
export const benchTimerBuckets = async (deps: AppDeps, waits = 100_000, daySeconds = 600): Promise<TimerBucketsBench> => {
  const wallStart = performance.now();
  const loadAtStart = loadavg()[0]!;
  const t0 = Date.parse('2026-07-01T00:00:00Z');
  const scale = DAY_MS / 1000 / daySeconds;
  // The cloud's clock stands at t0 until the waits are written and their buckets opened.
  let startedAt = Number.POSITIVE_INFINITY;
  const clock = () => new Date(t0 + Math.max(0, Date.now() - startedAt) * scale);
  const occurredAt = new Date(t0).toISOString();
  const next = random(17);
  const requests: TimerRequest[] = Array.from({ length: waits }, (_, i) => ({
    kind: 'bench-step',
    key: `cadence#record-${i}`,
    // At least a bucket ahead, so that no wait is due before the run starts.
    wakeAt: new Date(t0 + TIMER_BUCKET_SECONDS * 1000 + Math.floor(next() * DAY_MS)).toISOString(),
    token: 'step-1',
  }));

  // Written before the clock matters: the bench's own clock starts with the runner below.
  const items = requests.map((r) => timerTransactItem(deps.tableName, r, { occurredAt }).Put!.Item!);
  const writing = performance.now();
  progress(`writing ${waits.toLocaleString('en-US')} waits`);
  await batchWrite(deps, items.map((Item) => ({ PutRequest: { Item } })), 8);
  const writeSeconds = (performance.now() - writing) / 1000;

  const passStarted = new Map<string, number>();
  const late: number[] = [];
  const rounding: number[] = [];
  const paging: number[] = [];
  const woken = new Set<string>();
  let reruns = 0;
  const failedPasses: string[] = [];
  const handlers = {
    'bench-step': async (_d: AppDeps, timer: TimerRequest) => {
      // A feature re-checks its token, so a second call for one wait acts on nothing: count it, time the first.
      if (woken.has(timer.key)) {
        reruns++;
        return {};
      }
      woken.add(timer.key);
      const bucket = timerBucket(timer.wakeAt, new Date(occurredAt));
      const round = Date.parse(bucket) - Date.parse(timer.wakeAt);
      const page = performance.now() - (passStarted.get(bucket) ?? performance.now());
      rounding.push(round);
      paging.push(page);
      late.push(round + page);
      return {};
    },
  };
  const benchDeps: AppDeps = { ...deps, clock };
  const runner = createLocalSfnRunner({
    template: synthWorkflowsTemplate([timerWorkflow]),
    handlers: {
      [TIMER_STATES.wake]: (payload) => {
        const bucket = (payload as { input: { bucket: string } }).input.bucket;
        if (!passStarted.has(bucket)) passStarted.set(bucket, performance.now());
        return wake(benchDeps, payload, handlers).catch((error: unknown) => {
          failedPasses.push(`${(error as Error).name}: ${(error as Error).message}`);
          throw error;
        });
      },
    },
    db: deps.db,
    tableName: deps.tableName,
    timeScale: scale,
    clock,
  });
  const results: Array<Promise<unknown>> = [];
  const visited: number[] = [];
  benchDeps.timers = localTimerStarter(runner, (e) => results.push(e.result.then(() => visited.push(e.visitedStates.length))));

  // What start-timer does on each wait's event: the first of a bucket opens it, the rest are no-ops.
  const buckets = new Set<string>();
  items.forEach((item) => buckets.add((item.data as { bucket: string }).bucket));
  // Eight at a time, as concurrent start-timer consumers open them.
  const opening = performance.now();
  progress(`opening ${buckets.size.toLocaleString('en-US')} buckets`);
  const toOpen = [...buckets];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = toOpen.shift(); next; next = toOpen.shift()) await startTimerRuns(benchDeps, { ...requests[0]!, bucket: next });
    }),
  );
  const openSeconds = (performance.now() - opening) / 1000;
  // In the cloud every bucket's execution is open at once, each since its first wait was written. Here the
  // earliest buckets' Waits (scaled) may end while later ones are still being opened, so the count is of
  // every execution opened before the day starts, running or already drained.
  const openExecutions = (await runner.listExecutions()).length;
  // The day starts once every bucket is open.
  startedAt = Date.now();
  const day = performance.now();
  // A long run says how far it is, every 30 s (stderr: the figures go to stdout).
  const ticker = setInterval(() => progress(`day at ${new Date(clock()).toISOString().slice(11, 16)}: ${late.length.toLocaleString('en-US')} of ${waits.toLocaleString('en-US')} woken, load average ${loadavg()[0]!.toFixed(1)}`), 30_000);
  await Promise.all(results).finally(() => clearInterval(ticker));
  const dayWallSeconds = (performance.now() - day) / 1000;
  await runner.stop();
  if (woken.size !== waits) throw new Error(`${woken.size} of ${waits} waits woke`);
  const transitions = visited.reduce((a, b) => a + b, 0);
  const sfnUsd = (transitions * USD_PER_1000_TRANSITIONS) / 1000;
  const sesUsd = (waits * USD_PER_1000_EMAILS) / 1000;
  return {
    waits,
    buckets: buckets.size,
    executions: visited.length,
    transitions,
    openExecutions,
    openExecutionsPerWait: waits,
    sfnUsd,
    sesUsd,
    lateP50: percentile(late, 50),
    lateP99: percentile(late, 99),
    roundingP99: percentile(rounding, 99),
    pagingP99: percentile(paging, 99),
    wallSeconds: (performance.now() - wallStart) / 1000,
    reruns,
    failedPasses,
    phases: { writeSeconds, openSeconds, daySeconds: dayWallSeconds },
    loadAverage: [loadAtStart, loadavg()[0]!],
  };
};

export const printTimerBucketsBench = (b: TimerBucketsBench): void => {
  console.log(`\nTimer buckets: ${b.waits.toLocaleString('en-US')} pending cadence steps over a day (${TIMER_BUCKET_SECONDS} s buckets), the synthesized ASL on the local runner (${b.wallSeconds.toFixed(0)} s)`);
  console.log(`executions: ${b.executions} for ${b.buckets} buckets; state transitions: ${b.transitions.toLocaleString('en-US')} (${(b.transitions / b.waits).toFixed(3)} per wait)`);
  console.log(`wall time: writing the waits ${b.phases.writeSeconds.toFixed(0)} s, opening the buckets ${b.phases.openSeconds.toFixed(0)} s, the day ${b.phases.daySeconds.toFixed(0)} s; load average ${b.loadAverage[0].toFixed(1)} at the start, ${b.loadAverage[1].toFixed(1)} at the end`);
  console.log(`executions opened before the day (all open at once in the cloud): ${b.openExecutions.toLocaleString('en-US')} (one per wait before buckets: ${b.openExecutionsPerWait.toLocaleString('en-US')}; quota ${OPEN_EXECUTIONS_QUOTA.toLocaleString('en-US')})`);
  console.log(`bill: Step Functions $${b.sfnUsd.toFixed(2)} vs SES $${b.sesUsd.toFixed(2)} for the same ${b.waits.toLocaleString('en-US')} emails: ${(b.sfnUsd / b.sesUsd).toFixed(4)}`);
  if (b.reruns > 0 || b.failedPasses.length > 0) {
    const kinds = [...new Set(b.failedPasses)].slice(0, 3).join(' | ');
    console.log(`failed Wake passes (retried): ${b.failedPasses.length}${kinds ? ` (${kinds})` : ''}; handler calls beyond one per wait: ${b.reruns}`);
  }
  console.log(`lateness: p50 ${(b.lateP50 / 1000).toFixed(1)} s, p99 ${(b.lateP99 / 1000).toFixed(1)} s (rounding up to the bucket p99 ${(b.roundingP99 / 1000).toFixed(1)} s; paging p99 ${(b.pagingP99 / 1000).toFixed(2)} s)`);
};
