import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { WorkflowRuleDefinitionSchema, type WorkflowRule } from '../../../shared/domain/workflow/index.js';
import { createRecord, updateRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { listExecutions, saveRule } from '../../../shared/db/workflow-rules-repo.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { startTimerConsumer } from '../../../functions/events/start-timer.js';
import { workflowRulesConsumer } from '../../../functions/events/workflow-rules.js';
import { timerWorkflow } from '../../../stepfunctions/timer/timer.workflow.js';
import { createLocalSfnRunner, type LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../../infra/local/state-machines.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

// A workflow rule's date trigger on the shared timer: the rules consumer schedules the wake when a
// deal's closing date is set, the timer wakes the rule's handler, which re-checks the date.

const DAY = 86_400_000;
const SCALE = 345_600; // a simulated day in 1/4 s of waiting
// Simulated "now" stands still (the event path's own latency must not eat the days); waits are scaled.
const base = Date.parse('2026-05-01T12:00:00Z');
const clock = () => new Date(base);
const day = (offset: number) => new Date(clock().getTime() + offset * DAY).toISOString().slice(0, 10);

let deps: AppDeps;
let runner: LocalSfnRunner;
let events: LocalEvents;
const deals = standardModule('Deals')!;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'c' };

const rule: WorkflowRule = {
  ...WorkflowRuleDefinitionSchema.parse({
    name: 'Closing tomorrow',
    module: 'Deals',
    trigger: { type: 'dateReached', field: 'closingDate', offsetDays: -1, atUtc: '09:00' },
    actions: [{ type: 'createTask', subject: 'Closing tomorrow: {{name}}', assignee: { kind: 'owner' } }],
  }),
  id: 'RULE-DATE', version: 1, createdBy: 'u-admin', createdAt: new Date(base).toISOString(), updatedAt: new Date(base).toISOString(),
};

beforeAll(async () => {
  deps = await createTestDeps({ clock });
  await seedDemo(deps);
  await saveRule(deps, rule, { actor: 'u-admin', via: 'api', correlationId: 'c' });
  runner = createLocalSfnRunner({ template: synthWorkflowsTemplate([timerWorkflow]), handlers: timerWorkflow.localHandlers(deps), db: deps.db, tableName: deps.tableName, timeScale: SCALE, clock, retryIntervalMs: 0 });
  deps.timers = localTimerStarter(runner);
  events = startLocalEvents(deps, { subscriptions: subscriptions.filter((s) => s.id === 'workflow-rules' || s.id === 'start-timer'), consumers: [workflowRulesConsumer, startTimerConsumer] });
}, 120_000);
afterAll(async () => {
  await events?.stop();
  await runner?.stop();
});

const tasksFor = async (deal: RecordItem) =>
  ((await deps.db.send(new QueryCommand({ TableName: deps.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'RECS#Tasks' } }))).Items as RecordItem[]).filter((t) => t.fields.relatedId === deal.id);

describe('date triggers on the shared timer', () => {
  it('fires the day before the closing date, once', async () => {
    const closingDate = day(5);
    const deal = await createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name: 'Okinawa retreat', closingDate } }, ctx);
    const [task] = await waitFor(async () => (await tasksFor(deal)).length > 0 && tasksFor(deal), 'the date-triggered task', 30_000);
    expect(task).toMatchObject({ ownerId: 'u-agent', fields: { subject: 'Closing tomorrow: Okinawa retreat', assigneeId: 'u-agent' } });
    const log = (await listExecutions(deps, rule.id, 50)).items.filter((e) => e.record.id === deal.id);
    const dayBefore = new Date(Date.parse(`${closingDate}T09:00:00Z`) - DAY).toISOString().replace('.000Z', 'Z');
    expect(log).toEqual([expect.objectContaining({ outcome: 'ran', sourceEvent: 'date.reached', occurredAt: dayBefore })]);
  }, 60_000);

  it('a moved closing date makes the first wake stale (quietly) and the rule fires once, for the new date', async () => {
    // Not the first test's date: that bucket's execution has run already, and this test's clock
    // stands still, so a wait added to it would never be "late" enough for a catch-up.
    const deal = await createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name: 'Moved deal', closingDate: day(6) } }, ctx);
    await updateRecord(deps, deals, deal.id, { fields: { closingDate: day(9) } }, ctx);
    await waitFor(async () => (await runner.listExecutions('SUCCEEDED')).length >= 3, 'both timers of the moved deal (and the first test’s)', 30_000);
    await waitFor(async () => (await tasksFor(deal)).length === 1, 'the task for the new date', 30_000);
    expect((await listExecutions(deps, rule.id, 50)).items.filter((e) => e.record.id === deal.id)).toHaveLength(1);
    expect(await tasksFor(deal)).toHaveLength(1);
  }, 60_000);
});
