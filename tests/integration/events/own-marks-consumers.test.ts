import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { createRecord, updateRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { consumedKeys, historyKeys, notificationKeys, recordKeys } from '../../../shared/db/keys.js';
import { readHistoryItem, type StoredHistoryItem } from '../../../shared/db/history.js';
import { instancesOfCustomers } from '../../../shared/db/journeys-repo.js';
import { listExecutions, saveRule } from '../../../shared/db/workflow-rules-repo.js';
import { WorkflowRuleDefinitionSchema } from '../../../shared/domain/workflow/index.js';
import { approvalEscalated } from '../../../shared/events/catalog/processes.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { consumeOnce, eventIdOf } from '../../../shared/events/idempotent-consumer.js';
import { busEntryFromHistory, busEventFromEntry } from '../../../shared/events/outbox.js';
import { journeyRouter } from '../../../functions/events/journey-router.js';
import { processNotifications } from '../../../functions/events/process-notifications.js';
import { workflowRulesConsumer } from '../../../functions/events/workflow-rules.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { HIGH_VALUE_DEAL_RULE_ID } from '../../../infra/local/seed-workflow-rules.js';
import { createTestDeps, sesEndpoint } from '../../support/local-cloud.js';

// The consumers that carry their own marks (EventConsumer.idempotency 'own-marks') write no claim or
// finish per delivery: exactly-once rests on the marks in their own writes. Each scenario delivers one
// event several times, two of them racing, and counts what exists afterwards.

let deps: AppDeps;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'own-marks' };
beforeAll(async () => {
  deps = await createTestDeps();
  await seedDemo(deps);
}, 120_000);

/** The record's newest history entry of `eventName`, as the bus delivers it. */
const eventOf = async (module: string, id: string, eventName: string): Promise<BusEvent> => {
  const res = await deps.db.send(
    new QueryCommand({ TableName: deps.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)', ExpressionAttributeValues: { ':pk': recordKeys.key(module, id).PK, ':h': historyKeys.prefix }, ScanIndexForward: false, ConsistentRead: true }),
  );
  const item = (res.Items as StoredHistoryItem[]).map(readHistoryItem).find((h) => h.eventName === eventName);
  if (!item) throw new Error(`no ${eventName} for ${module}/${id}`);
  return busEventFromEntry(busEntryFromHistory(item));
};

const consumedMarker = async (consumer: string, event: BusEvent) =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: consumedKeys.key(consumer, eventIdOf(event)), ConsistentRead: true }))).Item;

const mailsWithSubject = async (subject: string) => (await readSentMail(sesEndpoint())).filter((m) => m.subject === subject);

const tasksAbout = async (deal: RecordItem) =>
  ((await deps.db.send(new QueryCommand({ TableName: deps.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'RECS#Tasks' }, ConsistentRead: false }))).Items as RecordItem[]).filter(
    (t) => t.fields.relatedId === deal.id,
  );

/** A deal whose amount just became high: the demo rule's record.updated. */
const highValueDeal = async () => {
  const deals = standardModule('Deals')!;
  const name = `Own marks ${deps.newId()}`;
  const deal = await createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name, amount: 100_000 } }, ctx);
  await updateRecord(deps, deals, deal.id, { fields: { amount: 1_500_000 } }, ctx);
  return { deal, name, event: await eventOf('Deals', deal.id, 'record.updated') };
};

/** An SES client whose first `failures` sends throw (the service refused), then the real one. */
const sesFailing = (failures: number): SESv2Client => {
  let left = failures;
  return { send: (command: unknown) => (left-- > 0 ? Promise.reject(new Error('SES is throttling')) : deps.ses.send(command as never)) } as unknown as SESv2Client;
};

describe('workflow rules: the rule run carries its own marks', () => {
  it('the High-value deal alert delivered four times (two racing) creates one task, sends one email, logs one execution, and writes no consumer marker', async () => {
    const { deal, name, event } = await highValueDeal();
    const outcomes = await Promise.all([consumeOnce(workflowRulesConsumer, event, deps), consumeOnce(workflowRulesConsumer, event, deps)]);
    const later = [await consumeOnce(workflowRulesConsumer, event, deps), await consumeOnce(workflowRulesConsumer, event, deps)];
    // A racing delivery may find the email claimed and not yet confirmed: it fails (retried later), never sends.
    expect(outcomes.some((o) => o.kind === 'handled')).toBe(true);
    expect(later.map((o) => o.kind)).toEqual(['handled', 'handled']);
    expect(await tasksAbout(deal)).toHaveLength(1);
    expect(await mailsWithSubject(`High-value deal: ${name}`)).toHaveLength(1);
    const executions = (await listExecutions(deps, HIGH_VALUE_DEAL_RULE_ID, 50)).items.filter((e) => e.record.id === deal.id);
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ outcome: 'ran', actions: [{ index: 0, status: 'done' }, { index: 1, status: 'done', detail: 'u-manager@keiro.example' }] });
    // No claim or finish: at most the count of a racing delivery's failure.
    expect([undefined, 'failed']).toContain((await consumedMarker('workflow-rules', event))?.status);
  });

  it('SES refusing the send releases the claim that rode on the task\'s transaction: the retry sends once and creates no second task', async () => {
    const { deal, name, event } = await highValueDeal();
    const failed = await consumeOnce(workflowRulesConsumer, event, { ...deps, ses: sesFailing(1) });
    expect(failed).toMatchObject({ kind: 'failed', attempt: 1 });
    expect(await tasksAbout(deal)).toHaveLength(1);
    expect(await mailsWithSubject(`High-value deal: ${name}`)).toHaveLength(0);
    expect((await listExecutions(deps, HIGH_VALUE_DEAL_RULE_ID, 50)).items.filter((e) => e.record.id === deal.id)).toHaveLength(0);

    expect((await consumeOnce(workflowRulesConsumer, event, deps)).kind).toBe('handled');
    expect(await tasksAbout(deal)).toHaveLength(1);
    expect(await mailsWithSubject(`High-value deal: ${name}`)).toHaveLength(1);
    const [execution] = (await listExecutions(deps, HIGH_VALUE_DEAL_RULE_ID, 50)).items.filter((e) => e.record.id === deal.id);
    expect(execution).toMatchObject({ outcome: 'ran', actions: [{ index: 0, status: 'done' }, { index: 1, status: 'done' }] });
    // The failure was counted on the consumer's marker (the dead-letter decision reads it).
    expect(await consumedMarker('workflow-rules', event)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('workflow rules: claims of later emails that were never sent', () => {
  it('a rule with a task and two emails, SES refusing the first: the second email\'s claim (written with the task) is released, and the retry sends each email once', async () => {
    const at = new Date().toISOString();
    const rule = {
      ...WorkflowRuleDefinitionSchema.parse({
        name: 'Two emails',
        module: 'Deals',
        trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Negotiation' } },
        actions: [
          { type: 'createTask', subject: 'Negotiate', assignee: { kind: 'owner' } },
          { type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 'Owner: {{name}}', text: 'Negotiating {{name}}' } },
          { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 'Manager: {{name}}', text: 'Negotiating {{name}}' } },
        ],
        active: true,
      }),
      id: deps.newId(), version: 1, createdBy: 'u-admin', createdAt: at, updatedAt: at,
    };
    await saveRule(deps, rule, { actor: 'u-admin', via: 'api', correlationId: 'c' });
    const deals = standardModule('Deals')!;
    const name = `Two emails ${deps.newId()}`;
    const deal = await createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name, amount: 10_000, stage: 'Qualification' } }, ctx);
    await updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx);
    const event = await eventOf('Deals', deal.id, 'record.updated');

    expect((await consumeOnce(workflowRulesConsumer, event, { ...deps, ses: sesFailing(1) })).kind).toBe('failed');
    expect(await mailsWithSubject(`Owner: ${name}`)).toHaveLength(0);
    expect(await mailsWithSubject(`Manager: ${name}`)).toHaveLength(0);
    expect((await consumeOnce(workflowRulesConsumer, event, deps)).kind).toBe('handled');
    expect((await consumeOnce(workflowRulesConsumer, event, deps)).kind).toBe('handled');
    expect(await tasksAbout(deal)).toHaveLength(1);
    expect(await mailsWithSubject(`Owner: ${name}`)).toHaveLength(1);
    expect(await mailsWithSubject(`Manager: ${name}`)).toHaveLength(1);
    const [execution] = (await listExecutions(deps, rule.id, 10)).items;
    expect(execution).toMatchObject({ outcome: 'ran', actions: [{ status: 'done' }, { status: 'done' }, { status: 'done' }] });
  });
});

describe('journey router and process notifications: redeliveries change nothing', () => {
  it('a new lead delivered three times (two racing) starts one journey instance, and no consumer marker is written', async () => {
    const leads = standardModule('Leads')!;
    const lead = await createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { lastName: `Marks${deps.newId()}`, leadStatus: 'New', email: `marks${deps.newId().toLowerCase()}@example.jp` } }, ctx);
    const event = await eventOf('Leads', lead.id, 'record.created');
    const outcomes = [...(await Promise.all([consumeOnce(journeyRouter, event, deps), consumeOnce(journeyRouter, event, deps)])), await consumeOnce(journeyRouter, event, deps)];
    expect(outcomes.map((o) => o.kind)).toEqual(['handled', 'handled', 'handled']);
    expect(await instancesOfCustomers(deps, [lead.id])).toHaveLength(1);
    expect(await consumedMarker('journey-router', event)).toBeUndefined();
  });

  it('an escalation delivered three times (two racing) notifies the added approver once and emails them once', async () => {
    const approvalId = deps.newId();
    const data = approvalEscalated.schema.parse({ module: 'Deals', recordId: deps.newId(), approvalId, processId: 'P1', processName: `Escalation ${approvalId}`, level: 1, submittedBy: 'u-agent', approverIds: ['u-ops'], addedApproverIds: ['u-manager'] });
    const event: BusEvent = {
      version: '0', id: deps.newId(), source: 'keiro', 'detail-type': approvalEscalated.name, account: 'local', region: 'local', time: new Date().toISOString(), resources: [],
      detail: { metadata: { id: deps.newId(), occurredAt: new Date().toISOString(), actor: 'system', correlationId: 'c' }, data },
    };
    const outcomes = await Promise.all([consumeOnce(processNotifications, event, deps), consumeOnce(processNotifications, event, deps)]);
    expect(outcomes.some((o) => o.kind === 'handled')).toBe(true);
    expect((await consumeOnce(processNotifications, event, deps)).kind).toBe('handled');
    expect(await mailsWithSubject(`Escalated to you: Escalation ${approvalId}`)).toHaveLength(1);
    const notifications = await deps.db.send(new QueryCommand({ TableName: deps.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': notificationKeys.partition('u-manager') }, ConsistentRead: true }));
    expect((notifications.Items ?? []).filter((n) => n.subject?.id === approvalId)).toHaveLength(1);
    expect([undefined, 'failed']).toContain((await consumedMarker('process-notifications', event))?.status);
  });
});
