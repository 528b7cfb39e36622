import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumers } from '../../functions/events/consumers.js';
import { subscriptions } from '../../functions/subscriptions.js';
import { enrollRecord } from '../../functions/cadences/enroll.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { CadenceDefinitionSchema } from '../../shared/domain/cadence/definition.js';
import { calendarFor, nextStep } from '../../shared/domain/cadence/planner.js';
import { getCadence, insertCadence, setCadenceActive } from '../../shared/db/cadences-repo.js';
import { listEnrollments } from '../../shared/db/enrollments-repo.js';
import { createRecord } from '../../shared/db/records-repo.js';
import { standardModule } from '../../shared/domain/records/standard-modules.js';
import { createSesClient } from '../../shared/adapters/deps.js';
import { localCadencePorts } from '../../infra/local/cadence-local.js';
import { memoryPositionStore } from '../../infra/local/events/positions.js';
import { createEventRouter } from '../../infra/local/events/router.js';
import { isCatchUpExecution } from '../../shared/domain/timers/timer.js';
import { createStreamPoller, localStreamsClient } from '../../infra/local/events/stream-poller.js';
import { freePort } from '../../infra/local/ports.js';
import { startSesLocal } from '../../infra/local/ses-local.js';
import { createLocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { TIMER_STATES, timerWorkflow } from '../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../stepfunctions/timer/tasks/wake.js';
import { USD_PER_1000_TRANSITIONS } from './timer.js';
import { PRICES } from './prices.js';

/** AWS's published SES outbound price per 1,000 emails (prices.json). */
export const USD_PER_1000_EMAILS = PRICES.ses.usdPerThousandEmails;
const STEPS = 5;

export interface CadenceBench {
  enrollments: number;
  /** Email steps per enrollment. */
  steps: number;
  emails: number;
  executions: number;
  /**
   * Of those, catch-ups: a wait whose `timer.scheduled` reached start-timer after its bucket had opened
   * gets an execution of its own (stepfunctions/timer/README.md "Opening a bucket").
   */
  catchUps: number;
  transitionsPerStep: number;
  sfnUsdPerMillionEnrollments: number;
  sesUsdPerMillionEnrollments: number;
  enrollPerSecond: number;
  planPerSecond: number;
}

/**
 * Cadence execution measured on the local cloud's real parts: DynamoDB Local (the caller's), SES
 * local, the stream poller and router over the product's subscriptions, and the timer ASL that CDK
 * synthesizes. A 5-email cadence (a minute apart, time scaled) runs for `enrollments` records; every
 * timer execution's visited states are counted.
 */
export const benchCadences = async (base: AppDeps, streams: { endpoint: string; region: string }, enrollments = 40): Promise<CadenceBench> => {
  const ses = await startSesLocal({ port: await freePort() });
  // Ten simulated seconds per wall-clock second. Each step (a minute apart) still wakes on its own (a
  // late wake catches up on every step due, which would flatter the figure). Faster time makes the
  // local stream's lag (0.2–1 s of wall time) as long as a bucket: at 60× nearly every scheduled step
  // reached start-timer after its bucket had opened and took a catch-up execution of its own (212 of
  // 245 executions on 2026-12-07), which in AWS happens only when an event is more than the 2 s margin
  // late. At 10× the lag is seconds of simulated time against buckets a minute or two ahead.
  const scale = 10;
  const t0 = Date.now();
  const start = base.clock().getTime();
  const clock = () => new Date(start + (Date.now() - t0) * scale);
  const deps: AppDeps = { ...base, clock, ses: createSesClient('ap-northeast-1', ses.endpoint), cadence: localCadencePorts(mkdtempSync(join(tmpdir(), 'keiro-bench-cad-')), { sendRatePerSecond: 10_000 }) };
  const runner = createLocalSfnRunner({ template: synthWorkflowsTemplate([timerWorkflow]), handlers: { [TIMER_STATES.wake]: (input) => wake(deps, input) }, db: deps.db, tableName: deps.tableName, timeScale: scale, clock });
  const id = deps.newId();
  const transitions: number[] = [];
  const catchUps = new Set<string>();
  // Every bucket's execution counts (a bucket also wakes other features' waits, e.g. the demo
  // cadence's thanks to the bench's new leads, so the figure is if anything high).
  deps.timers = localTimerStarter(runner, (e) => {
    if (isCatchUpExecution(e.executionId)) catchUps.add(e.executionId);
    void e.result.then(() => transitions.push(e.visitedStates.length));
  });
  const router = createEventRouter({ deps, subscriptions, consumers, log: () => undefined });
  const client = localStreamsClient(streams.region, streams.endpoint);
  const poller = createStreamPoller({ client, tableName: deps.tableName, positions: memoryPositionStore(), publish: router.publish });
  poller.start();

  const definition = CadenceDefinitionSchema.parse({
    name: `Bench ${Date.now()}`,
    module: 'Leads',
    sender: { name: 'Bench' },
    steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i + 1}`, type: 'email', ...(i > 0 ? { parent: `s${i}` } : {}), timing: { amount: i === 0 ? 0 : 1, unit: 'minutes' }, subject: `Step ${i + 1}`, text: 'Hello {{firstName}}' })),
  });
  await setCadenceActive(deps, await insertCadence(deps, id, definition, 'bench'), true, 'bench');
  const cadence = await getCadence(deps, id);
  if (!cadence) throw new Error('bench cadence vanished');
  const leads = standardModule('Leads');
  if (!leads) throw new Error('no Leads module');
  const ctx = { actor: 'bench', via: 'api' as const, correlationId: 'bench' };
  const records = [];
  for (let i = 0; i < enrollments; i++) records.push(await createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { firstName: 'B', lastName: `Cad${i}`, email: `cad${i}.${t0}@bench.example` } }, ctx));

  // Enroll (one transaction each: enrollment, counters, history, timer outbox item) at concurrency 8.
  const enrollStart = performance.now();
  for (let i = 0; i < records.length; i += 8) await Promise.all(records.slice(i, i + 8).map((r) => enrollRecord(deps, cadence, r, 'manual', ctx)));
  const enrollPerSecond = records.length / ((performance.now() - enrollStart) / 1000);

  // Baseline in the same process: the pure planner alone.
  const state = { status: 'active' as const, enrolledAt: clock().toISOString(), steps: {}, calendar: calendarFor(definition, 'Asia/Tokyo') };
  const planStart = performance.now();
  const PLANS = 20_000;
  for (let i = 0; i < PLANS; i++) nextStep(definition, state, {}, clock);
  const planPerSecond = PLANS / ((performance.now() - planStart) / 1000);

  const deadline = Date.now() + 300_000;
  for (;;) {
    const done = await listEnrollments(deps, id, 'completed', 200);
    if (done.items.length >= enrollments) break;
    if (Date.now() > deadline) throw new Error(`only ${done.items.length} of ${enrollments} enrollments completed`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (let i = 0; i < 100 && transitions.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await poller.stop();
  await router.drain();
  await runner.stop();
  client.destroy();
  await ses.stop();
  const emails = enrollments * STEPS;
  const total = transitions.reduce((a, b) => a + b, 0);
  const transitionsPerStep = total / emails;
  return {
    enrollments,
    steps: STEPS,
    emails,
    executions: transitions.length,
    catchUps: catchUps.size,
    transitionsPerStep,
    sfnUsdPerMillionEnrollments: (1_000_000 * STEPS * transitionsPerStep * USD_PER_1000_TRANSITIONS) / 1000,
    sesUsdPerMillionEnrollments: (1_000_000 * STEPS * USD_PER_1000_EMAILS) / 1000,
    enrollPerSecond,
    planPerSecond,
  };
};

export const printCadenceBench = (b: CadenceBench): void => {
  console.log(`\nCadences: ${b.enrollments} enrollments × ${STEPS} email steps on the local cloud (timer ASL, stream → start-timer, SES local)`);
  console.log(`timer executions: ${b.executions} for ${b.emails} emails (${b.catchUps} of them catch-ups); state transitions per step: ${b.transitionsPerStep.toFixed(2)} (goal ≤ 2)`);
  console.log(`per 1M enrollments × ${STEPS} steps: Step Functions $${b.sfnUsdPerMillionEnrollments.toFixed(2)} ($${USD_PER_1000_TRANSITIONS}/1,000 transitions) vs SES $${b.sesUsdPerMillionEnrollments.toFixed(2)} ($${USD_PER_1000_EMAILS}/1,000 emails): ratio ${(b.sfnUsdPerMillionEnrollments / b.sesUsdPerMillionEnrollments).toFixed(2)}`);
  console.log(`enroll + plan (one transaction each, concurrency 8): ${b.enrollPerSecond.toFixed(0)} enrollments/s; the pure planner alone: ${b.planPerSecond.toFixed(0)} plans/s (enrolling costs ${(b.planPerSecond / b.enrollPerSecond).toFixed(0)}× a plan)`);
};
