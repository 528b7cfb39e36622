import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { TIMER_STATES, timerWorkflow } from '../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../stepfunctions/timer/tasks/wake.js';
import { createLocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { scheduleTimer } from '../../shared/db/timers.js';

/** AWS's published Step Functions Standard price: $0.025 per 1,000 state transitions. */
export const USD_PER_1000_TRANSITIONS = 0.025;
/** Default quota: open (running) Standard executions per account and region. */
export const OPEN_EXECUTIONS_QUOTA = 1_000_000;

export interface TimerBench {
  wakes: number;
  transitionsPerWake: number;
  usdPerMillionWakes: number;
  /** The same with a Wait → Task → Choice loop (the next wake inside one execution). */
  usdPerMillionWakesWithLoop: number;
}

/**
 * Runs `wakes` timers through the timer ASL that CDK synthesizes (local runner, time scaled) with a
 * wake handler that re-reads DynamoDB and checks the token, as every real one does, and counts the
 * state transitions each execution made.
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
  const timerDeps: AppDeps = { ...deps, timers: localTimerStarter(runner, (e) => void e.result.then(() => transitions.push(e.visitedStates.length))) };
  const wakeAt = new Date(deps.clock().getTime() + 60_000).toISOString();
  for (let i = 0; i < wakes; i++) await scheduleTimer(timerDeps, { kind: 'bench', key: `k${i}`, wakeAt, token: 't' });
  for (let i = 0; i < 400 && transitions.length < wakes; i++) await new Promise((r) => setTimeout(r, 50));
  await runner.stop();
  if (transitions.length < wakes) throw new Error(`only ${transitions.length} of ${wakes} timers woke`);
  const transitionsPerWake = transitions.reduce((a, b) => a + b, 0) / transitions.length;
  const cost = (perWake: number) => (perWake * 1_000_000 * USD_PER_1000_TRANSITIONS) / 1000;
  return { wakes, transitionsPerWake, usdPerMillionWakes: cost(transitionsPerWake), usdPerMillionWakesWithLoop: cost(transitionsPerWake + 1) };
};

export const printTimerBench = (b: TimerBench): void => {
  console.log(`\nShared timer (stepfunctions/timer), ${b.wakes} wakes through the synthesized ASL on the local runner`);
  console.log(`state transitions per wake: ${b.transitionsPerWake.toFixed(2)} (goal ≤ 2: ${TIMER_STATES.wait} → ${TIMER_STATES.wake})`);
  console.log(`Step Functions Standard at $${USD_PER_1000_TRANSITIONS} per 1,000 transitions: $${b.usdPerMillionWakes.toFixed(2)} per 1M wakes`);
  console.log(`  (a Wait → Task → Choice loop would be $${b.usdPerMillionWakesWithLoop.toFixed(2)}; Lambda and DynamoDB costs are on top of both)`);
  console.log(`scale ceiling: ${OPEN_EXECUTIONS_QUOTA.toLocaleString('en-US')} open executions per account and region by default = that many pending timers;`);
  console.log('  past it: one waiter per time bucket fanning out the due items of a DynamoDB index (stepfunctions/timer/README.md).');
};
