import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { TIMER_STATES, timerWorkflow } from '../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../stepfunctions/timer/tasks/wake.js';
import { createLocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { scheduleTimer, startTimerRuns } from '../../shared/db/timers.js';
import { PRICES } from './prices.js';

/** AWS's published Step Functions Standard price per 1,000 state transitions (prices.json). */
export const USD_PER_1000_TRANSITIONS = PRICES.stepFunctions.usdPerThousandTransitions;
/** Default quota: open (running) Standard executions per account and region. */
export const OPEN_EXECUTIONS_QUOTA = 1_000_000;

export interface TimerBench {
  wakes: number;
  transitionsPerWake: number;
  usdPerMillionWakes: number;
  /** The same with one execution per wait (Wait → Wake: 2 transitions each), as before buckets. */
  usdPerMillionWakesPerExecution: number;
}

/**
 * Runs `wakes` timers due at one time through the timer ASL that CDK synthesizes (local runner, time
 * scaled) with a wake handler that re-reads DynamoDB and checks the token, as every real one does,
 * and counts the state transitions of the executions (one per bucket) that woke them.
 */
export const benchTimer = async (deps: AppDeps, wakes = 100): Promise<TimerBench> => {
  const handlers = {
    bench: async (d: AppDeps, timer: { key: string; token: string }) => {
      await d.db.send(new GetCommand({ TableName: d.tableName, Key: { PK: `BENCH#${timer.key}`, SK: 'BENCH' } }));
      return {};
    },
  };
  const runner = createLocalSfnRunner({
    template: synthWorkflowsTemplate([timerWorkflow]),
    handlers: { [TIMER_STATES.wake]: (input) => wake(deps, input, handlers) },
    db: deps.db,
    tableName: deps.tableName,
    timeScale: 86_400,
  });
  const transitions: number[] = [];
  let woken = 0;
  const timerDeps: AppDeps = {
    ...deps,
    timers: localTimerStarter(runner, (e) => void e.result.then((outcome) => {
      transitions.push(e.visitedStates.length);
      if (outcome.status === 'SUCCEEDED') woken += (outcome.output as { woken?: number }).woken ?? 0;
      else console.error(`timer bench: execution ${e.executionId} ${JSON.stringify(outcome)}`);
    })),
  };
  const wakeAt = new Date(deps.clock().getTime() + 60_000).toISOString();
  const buckets = new Set<string>();
  for (let i = 0; i < wakes; i++) {
    const scheduled = await scheduleTimer(timerDeps, { kind: 'bench', key: `k${i}`, wakeAt, token: 't' });
    buckets.add(scheduled.bucket);
  }
  // What start-timer does for each wait's event; one call per bucket is what counts (the rest are no-ops).
  for (const bucket of buckets) await startTimerRuns(timerDeps, { kind: 'bench', key: 'k0', wakeAt, token: 't', bucket });
  for (let i = 0; i < 400 && woken < wakes; i++) await new Promise((r) => setTimeout(r, 50));
  await runner.stop();
  if (woken < wakes) throw new Error(`only ${woken} of ${wakes} timers woke`);
  const transitionsPerWake = transitions.reduce((a, b) => a + b, 0) / wakes;
  const cost = (perWake: number) => (perWake * 1_000_000 * USD_PER_1000_TRANSITIONS) / 1000;
  return { wakes, transitionsPerWake, usdPerMillionWakes: cost(transitionsPerWake), usdPerMillionWakesPerExecution: cost(2) };
};

export const printTimerBench = (b: TimerBench): void => {
  console.log(`\nShared timer (stepfunctions/timer), ${b.wakes} wakes due together, through the synthesized ASL on the local runner`);
  console.log(`state transitions per wake: ${b.transitionsPerWake.toFixed(2)} (goal ≤ 2; a bucket's pass costs 2: ${TIMER_STATES.wait} → ${TIMER_STATES.wake})`);
  console.log(`Step Functions Standard at $${USD_PER_1000_TRANSITIONS} per 1,000 transitions: $${b.usdPerMillionWakes.toFixed(2)} per 1M wakes`);
  console.log(`  (one execution per wait, as before buckets: $${b.usdPerMillionWakesPerExecution.toFixed(2)}; Lambda and DynamoDB costs are on top of both)`);
  console.log(`scale ceiling: one open execution per minute that has waits (of ${OPEN_EXECUTIONS_QUOTA.toLocaleString('en-US')} allowed per account and region), whatever the number of waits (stepfunctions/timer/README.md "Scale").`);
};
