import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions } from '../../../functions/subscriptions.js';
import { workflowRulesConsumer } from '../../../functions/events/workflow-rules.js';
import { MAX_RULE_DEPTH } from '../../../shared/domain/workflow/index.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { HIGH_VALUE_DEAL_RULE_ID } from '../../../infra/local/seed-workflow-rules.js';
import { OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

let api: E2eApi;
let events: LocalEvents;
beforeAll(async () => {
  api = await startE2eApi();
  events = startLocalEvents(api.deps, { subscriptions: subscriptions.filter((s) => s.id === 'workflow-rules'), consumers: [workflowRulesConsumer] });
});
afterAll(async () => {
  await events?.stop();
  await api?.close();
});

type Execution = { outcome: string; reason?: string; depth: number; record: { id: string }; actions: Array<{ type: string; status: string; detail?: string }> };
type Task = { id: string; subject: string; relatedId?: string; dueDate?: string };
const executions = async (ruleId: string, as = 'u-admin') => (await api.call<{ items: Execution[] }>(as, 'GET', `/v1/workflow-rules/${ruleId}/executions?limit=200`)).body.items;
const tasksOf = async (as: string) => (await api.call<{ items: Task[] }>(as, 'GET', '/v1/tasks?assignee=me&limit=200')).body.items;
const newDeal = async (fields: Record<string, unknown>, as = 'u-agent') => {
  const res = await api.call<{ id: string; version: number }>(as, 'POST', '/v1/records/Deals', { body: { fields: { name: `Deal ${api.deps.newId()}`, ...fields } } });
  expect(res.status).toBe(201);
  return res.body;
};
const createRule = async (as: string, body: Record<string, unknown>) => api.call<{ id: string; version: number }>(as, 'POST', '/v1/workflow-rules', { body });

describe('the High-value deal alert (seeded)', () => {
  it("a deal of 2,000,000 gives its owner the task and emails the owner's manager; the execution log shows the run", async () => {
    const seeded = await api.call<{ name: string; active: boolean }>('u-admin', 'GET', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}`);
    expect(seeded.body).toMatchObject({ name: 'High-value deal alert', active: true });
    const name = `Sakura corporate retreat ${api.deps.newId()}`;
    const deal = await newDeal({ name, amount: 2_000_000 });

    const task = await waitFor(async () => (await tasksOf('u-agent')).find((t) => t.relatedId === deal.id), 'the owner’s task', 20_000);
    expect(task).toMatchObject({ subject: 'Plan the high-value deal', dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const mail = await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.subject === `High-value deal: ${name}`), 'the manager’s email');
    expect(mail.destination.to).toEqual(['u-manager@keiro.example']);
    expect(mail.body.text).toContain(deal.id);

    // The run's log entry is written when its actions are done, just after the email went out.
    const run = await waitFor(async () => (await executions(HIGH_VALUE_DEAL_RULE_ID)).find((e) => e.record.id === deal.id && e.outcome === 'ran' && e.actions.length === 2), 'the execution log entry');
    expect(run).toMatchObject({ outcome: 'ran', depth: 0, actions: [{ type: 'createTask', status: 'done' }, { type: 'sendEmail', status: 'done', detail: 'u-manager@keiro.example' }] });
    const history = await api.call<{ items: Array<{ event: string; via: string; automation?: { name: string } }> }>('u-agent', 'GET', `/v1/records/Tasks/${task.id}/history`);
    expect(history.body.items[0]).toMatchObject({ event: 'record.created', via: 'automation', automation: { name: 'High-value deal alert' } });
  });

  it('fires when the amount becomes 1,000,000 or more, not again while it stays there, not for small deals', async () => {
    const deal = await newDeal({ amount: 500_000 });
    const patch = async (amount: number, version: number) =>
      (await api.call<{ version: number }>('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { amount } }, headers: { 'if-match': `"${version}"` } })).body.version;
    const v2 = await patch(1_500_000, deal.version);
    await waitFor(async () => (await executions(HIGH_VALUE_DEAL_RULE_ID)).some((e) => e.record.id === deal.id), 'the run');
    await patch(1_600_000, v2);
    const marker = await newDeal({ amount: 3_000_000 });
    await waitFor(async () => (await executions(HIGH_VALUE_DEAL_RULE_ID)).some((e) => e.record.id === marker.id), 'a later deal’s run (the stream is ordered per table partition, so the earlier patch was seen)');
    expect((await executions(HIGH_VALUE_DEAL_RULE_ID)).filter((e) => e.record.id === deal.id)).toHaveLength(1);
    expect((await tasksOf('u-agent')).filter((t) => t.relatedId === deal.id)).toHaveLength(1);
  });
});

describe('rules that trigger each other', () => {
  it(`stop at the depth limit (${MAX_RULE_DEPTH}), and the refused run is in the log with its reason`, async () => {
    const toNegotiation = await createRule('u-admin', { name: 'Proposal → Negotiation', module: 'Deals', trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Proposal' } }, criteria: { all: [{ field: 'industry', op: 'eq', value: 'Travel' }] }, actions: [{ type: 'updateFields', fields: { stage: 'Negotiation' } }] });
    const toProposal = await createRule('u-admin', { name: 'Negotiation → Proposal', module: 'Deals', trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Negotiation' } }, criteria: { all: [{ field: 'industry', op: 'eq', value: 'Travel' }] }, actions: [{ type: 'updateFields', fields: { stage: 'Proposal' } }] });
    expect([toNegotiation.status, toProposal.status]).toEqual([201, 201]);
    const deal = await newDeal({ stage: 'Qualification', industry: 'Travel' });
    await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { stage: 'Proposal' } } });

    const refused = await waitFor(async () => (await executions(toProposal.body.id)).find((e) => e.record.id === deal.id && e.outcome === 'refused'), 'the refused run', 20_000);
    expect(refused).toMatchObject({ depth: MAX_RULE_DEPTH, actions: [], reason: expect.stringMatching(/Depth limit/) });
    // Each run's entry is written when its actions are done, so the deeper run's entry may come first: wait for all four.
    const runsOf = async (ruleId: string) => (await executions(ruleId)).filter((e) => e.record.id === deal.id).map((e) => [e.outcome, e.depth]);
    const a = await waitFor(async () => { const r = await runsOf(toNegotiation.body.id); return r.length >= 2 ? r : undefined; }, 'both runs of the first rule');
    const b = await waitFor(async () => { const r = await runsOf(toProposal.body.id); return r.length >= 2 ? r : undefined; }, 'both runs of the second rule');
    expect(a.sort()).toEqual([['ran', 0], ['ran', 2]]);
    expect(b.sort()).toEqual([['ran', 1], ['refused', 3]]);
    const history = await api.call<{ items: Array<{ via: string }> }>('u-agent', 'GET', `/v1/records/Deals/${deal.id}/history`);
    expect(history.body.items.filter((h) => h.via === 'automation')).toHaveLength(MAX_RULE_DEPTH);
  });
});

describe('definitions are validated at save with a precise 400', () => {
  const base = { name: 'r', module: 'Deals', trigger: { type: 'created' }, actions: [{ type: 'createTask', subject: 'x', assignee: { kind: 'owner' } }] };
  it.each([
    ['an unknown module', { ...base, module: 'Nope' }, 'module'],
    ['an unknown trigger field', { ...base, trigger: { type: 'fieldChanged', field: 'colour' } }, 'trigger.field'],
    ['a trigger value that does not fit', { ...base, trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Won?' } } }, 'trigger.to.value'],
    ['an ordering on a text field', { ...base, criteria: { all: [{ field: 'name', op: 'gt', value: 3 }] } }, 'criteria.all.0.op'],
    ['a date trigger on a number field', { ...base, trigger: { type: 'dateReached', field: 'amount', offsetDays: -3 } }, 'trigger.field'],
    ['an action field that does not exist', { ...base, actions: [{ type: 'updateFields', fields: { colour: 'red' } }] }, 'actions.0.fields.colour'],
    ['an action value of the wrong type', { ...base, actions: [{ type: 'updateFields', fields: { amount: 'a lot' } }] }, 'actions.0.fields.amount'],
    ['an unknown merge field', { ...base, actions: [{ type: 'createTask', subject: 'Plan {{colour}}', assignee: { kind: 'owner' } }] }, 'actions.0.subject'],
    ['an unknown user', { ...base, actions: [{ type: 'notify', to: { kind: 'user', userId: 'u-ghost' }, message: 'm' }] }, 'actions.0.to.userId'],
    ['an http webhook', { ...base, actions: [{ type: 'webhook', url: 'http://example.com/hook' }] }, 'actions.0.url'],
    ['an unknown trigger type', { ...base, trigger: { type: 'whenever' } }, 'trigger.type'],
    ['no actions', { ...base, actions: [] }, 'actions'],
  ])('%s', async (_w, body, path) => {
    const res = await createRule('u-admin', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((res.body as unknown as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
  });
});

describe('who may define rules (permission matrix)', () => {
  const onModule = (module: string, fields: Record<string, unknown> = {}) => ({ name: `rule on ${module}`, module, trigger: { type: 'created' }, actions: [{ type: 'createTask', subject: 'Look at {{record.id}}', assignee: { kind: 'user', userId: 'u-ops' }, ...fields }] });
  const matrix: Array<[string, string, number]> = [
    ['u-admin', 'Deals', 201],
    ['u-admin', 'Arrangements', 201],
    ['u-ops', 'Arrangements', 201],
    ['u-ops', 'Deals', 403],
    ['u-manager', 'Deals', 403],
    ['u-agent', 'Deals', 403],
    ['u-agent', 'Arrangements', 403],
    ['u-requester', 'Arrangements', 403],
  ];
  it.each(matrix)('%s defining a rule on %s → %i', async (user, module, status) => {
    expect((await createRule(user, onModule(module))).status).toBe(status);
  });

  it('a team admin cannot have a rule write into modules they do not manage; an oversized rule is refused', async () => {
    const escalate = await createRule('u-ops', { name: 'sneaky', module: 'Arrangements', trigger: { type: 'created' }, actions: [{ type: 'createRecord', module: 'Cases', fields: { subject: { from: 'title' } } }] });
    expect(escalate.status).toBe(400);
    expect((escalate.body as unknown as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('actions.0.module');
    const huge = 'x'.repeat(19_000);
    const big = await createRule('u-admin', { name: 'big', module: 'Deals', trigger: { type: 'created' }, actions: Array.from({ length: 4 }, () => ({ type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 's', text: huge } })) });
    expect(big.status).toBe(400);
  });

  it("u-ops's rule on Arrangements acts on requests; reading and listing follow the same right; revoking u-ops removes it at once", async () => {
    const rule = await createRule('u-ops', { name: 'Urgent arrangements', module: 'Arrangements', trigger: { type: 'created' }, criteria: { all: [{ field: 'priority', op: 'eq', value: 'Urgent' }] }, actions: [{ type: 'createTask', subject: 'Urgent: {{title}}', assignee: { kind: 'user', userId: 'u-ops' }, dueInDays: 0 }] });
    expect(rule.status).toBe(201);
    const submitted = await api.call<{ id: string }>('u-requester', 'POST', '/v1/team-modules/Arrangements/requests', { body: { fields: { title: 'Visa for Sato', kind: 'Visa', priority: 'Urgent' } } });
    expect(submitted.status).toBe(201);
    await waitFor(async () => (await tasksOf('u-ops')).find((t) => t.subject === 'Urgent: Visa for Sato'), 'the team admin’s task', 20_000);
    expect((await executions(rule.body.id, 'u-ops'))[0]).toMatchObject({ outcome: 'ran' });

    expect((await api.call('u-ops', 'GET', `/v1/workflow-rules/${rule.body.id}`)).status).toBe(200);
    expect((await api.call('u-ops', 'GET', '/v1/workflow-rules?module=Arrangements')).status).toBe(200);
    expect((await api.call('u-ops', 'GET', '/v1/workflow-rules?module=Deals')).status).toBe(403);
    expect((await api.call('u-ops', 'GET', '/v1/workflow-rules')).status).toBe(403);
    expect((await api.call('u-ops', 'GET', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}`)).status).toBe(403);
    expect((await api.call('u-ops', 'GET', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}/executions`)).status).toBe(403);
    expect((await api.call('u-agent', 'GET', `/v1/workflow-rules/${rule.body.id}`)).status).toBe(403);
    expect((await api.call('u-admin', 'GET', '/v1/workflow-rules')).status).toBe(200);

    const update = { name: 'Urgent arrangements (renamed)', module: 'Arrangements', trigger: { type: 'created' }, actions: [{ type: 'createTask', subject: 'x', assignee: { kind: 'owner' } }] };
    const put = await api.call<{ version: number }>('u-ops', 'PUT', `/v1/workflow-rules/${rule.body.id}`, { body: update, headers: { 'if-match': '"1"' } });
    expect(put.status).toBe(200);
    expect((await api.call('u-ops', 'PUT', `/v1/workflow-rules/${rule.body.id}`, { body: update, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await api.call('u-ops', 'PUT', `/v1/workflow-rules/${rule.body.id}`, { body: { ...update, module: 'Deals' } })).status).toBe(403);

    expect((await api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-ops`)).status).toBe(200);
    expect((await api.call('u-ops', 'PUT', `/v1/workflow-rules/${rule.body.id}`, { body: update })).status).toBe(403);
    expect((await api.call('u-ops', 'DELETE', `/v1/workflow-rules/${rule.body.id}`)).status).toBe(403);
    expect((await createRule('u-ops', onModule('Arrangements'))).status).toBe(403);
    expect((await api.call('u-admin', 'DELETE', `/v1/workflow-rules/${rule.body.id}`)).status).toBe(204);
    expect((await api.call('u-admin', 'GET', `/v1/workflow-rules/${rule.body.id}`)).status).toBe(404);
  });
});

describe('one refusal, one message', () => {
  it('a member who asks for every rule, then for one org module, hears the same rule both times: who may read workflow rules', async () => {
    const all = await api.call<{ detail: string }>('u-agent', 'GET', '/v1/workflow-rules');
    const deals = await api.call<{ detail: string }>('u-agent', 'GET', '/v1/workflow-rules?module=Deals');
    expect([all.status, deals.status]).toEqual([403, 403]);
    expect(deals.body.detail).toBe(all.body.detail);
    expect(all.body.detail).toMatch(/org admin/);
    expect(all.body.detail).toMatch(/team's admins/);
  });

  it("a team admin hears that same rule for every rule at once and for an org module", async () => {
    const all = await api.call<{ detail: string }>('u-ops', 'GET', '/v1/workflow-rules');
    const deals = await api.call<{ detail: string }>('u-ops', 'GET', '/v1/workflow-rules?module=Deals');
    const member = await api.call<{ detail: string }>('u-agent', 'GET', '/v1/workflow-rules');
    expect([all.status, deals.status]).toEqual([403, 403]);
    expect(new Set([all.body.detail, deals.body.detail, member.body.detail]).size).toBe(1);
  });
});
