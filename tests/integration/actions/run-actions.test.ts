import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { ActionListSchema, type Action } from '../../../shared/domain/actions/index.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { type HistoryItem } from '../../../shared/db/history.js';
import { historyPage } from '../../../shared/db/history-page.js';
import { recordKeys } from '../../../shared/db/keys.js';
import { listNotifications } from '../../../shared/db/notifications-repo.js';
import { createRecord, getRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { listRecords } from '../../../shared/db/records-queries.js';
import { runActions, type RunActionsInput } from '../../../functions/events/actions/run-actions.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { createTestDeps, sesEndpoint } from '../../support/local-cloud.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../support/https-receiver.js';

let deps: AppDeps;
let hooks: HttpsReceiver;
const deals = standardModule('Deals')!;
const SECRET = 'test-signing-secret';

beforeAll(async () => {
  hooks = await startHttpsReceiver();
  deps = await createTestDeps({ webhooks: { signingSecret: SECRET, allowPrivateAddresses: true, ca: hooks.ca, backoffMs: 5 } });
  await seedDemo(deps);
});
afterAll(async () => hooks?.close());

const newDeal = async (fields: Record<string, unknown> = {}): Promise<RecordItem> =>
  createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name: `Deal ${deps.newId()}`, amount: 2_000_000, ...fields } as never }, { actor: 'u-agent', via: 'api', correlationId: 'c' });

const via = { kind: 'workflow-rule', id: 'R1', name: 'High-value deal alert' };
const run = (record: RecordItem, actions: unknown[], over: Partial<RunActionsInput> = {}) =>
  runActions(deps, { sourceEventId: deps.newId(), via, depth: 1, actorId: 'u-admin', record, actions: ActionListSchema.parse(actions) as Action[], ...over });

const historyOf = async (module: string, id: string): Promise<HistoryItem[]> => (await historyPage(deps, recordKeys.key(module, id).PK, { limit: 100, oldestFirst: true })).items;

const mailsWithSubject = async (subject: string) => (await readSentMail(sesEndpoint())).filter((m) => m.subject === subject);

describe('runActions against DynamoDB Local and SES local', () => {
  it('creates the task, emails the manager and updates the record, each with via, automation and depth in history', async () => {
    const deal = await newDeal();
    const subject = `High-value deal ${deal.id}`;
    const outcomes = await run(deal, [
      { type: 'createTask', subject: 'Plan the high-value deal {{name}}', assignee: { kind: 'owner' }, dueInDays: 1 },
      { type: 'sendEmail', to: { kind: 'manager' }, template: { subject, text: '{{owner.name}} has {{name}} at {{amount}}', html: '<p>{{name}}</p>' } },
      { type: 'updateFields', fields: { stage: 'Negotiation' } },
      { type: 'notify', to: { kind: 'owner' }, message: '{{name}} is big' },
    ]);
    expect(outcomes.map((o) => [o.type, o.status])).toEqual([
      ['createTask', 'done'],
      ['sendEmail', 'done'],
      ['updateFields', 'done'],
      ['notify', 'done'],
    ]);
    const taskId = outcomes[0]!.detail!.split('/')[1]!;
    const task = await getRecord(deps, 'Tasks', taskId);
    expect(task).toMatchObject({ ownerId: 'u-agent', fields: { subject: `Plan the high-value deal ${deal.fields.name}`, status: 'Open', assigneeId: 'u-agent', relatedModule: 'Deals', relatedId: deal.id, dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
    const [created] = await historyOf('Tasks', taskId);
    expect(created).toMatchObject({ eventName: 'record.created', actor: 'u-admin', via: 'automation', automation: via, depth: 1 });
    const updated = (await historyOf('Deals', deal.id)).find((h) => h.eventName === 'record.updated');
    expect(updated).toMatchObject({ via: 'automation', automation: via, depth: 1, changes: [{ field: 'stage', old: null, new: 'Negotiation' }] });
    const mails = await mailsWithSubject(subject);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ destination: { to: ['u-manager@keiro.example'] }, body: { html: `<p>${deal.fields.name}</p>` } });
    expect((await listNotifications(deps, 'u-agent', 50)).items.some((n) => n.body === `${deal.fields.name} is big`)).toBe(true);
  });

  it('a redelivered event repeats nothing (also when two deliveries race), and answers the first outcomes', async () => {
    const deal = await newDeal();
    const subject = `Once ${deal.id}`;
    const input: RunActionsInput = {
      sourceEventId: deps.newId(), via, depth: 1, actorId: 'u-admin', record: deal,
      actions: ActionListSchema.parse([
        { type: 'createTask', subject: 'Once', assignee: { kind: 'owner' } },
        { type: 'sendEmail', to: { kind: 'owner' }, template: { subject, text: 't' } },
      ]) as Action[],
    };
    // Two deliveries racing: each answers the same outcomes, or — when it meets the other's email claimed
    // but not yet confirmed — fails as UnconfirmedSend, to be retried (never a second email).
    const raced = await Promise.allSettled([runActions(deps, input), runActions(deps, input)]);
    const answered = raced.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const r of raced) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('UnconfirmedSend');
    expect(answered.length).toBeGreaterThan(0);
    const again = await runActions(deps, input);
    for (const outcomes of answered) expect(outcomes.map((o) => o.detail)).toEqual(again.map((o) => o.detail));
    expect(again.every((o) => o.replayed)).toBe(true);
    const tasks = (await deps.db.send(new QueryCommand({ TableName: deps.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'RECS#Tasks' } }))).Items as RecordItem[];
    expect(tasks.filter((t) => t.fields.relatedId === deal.id)).toHaveLength(1);
    expect(await mailsWithSubject(subject)).toHaveLength(1);
  });

  it('refusals are logged with their reason and not retried: a locked record (423), a bad value (400), an owner without a manager', async () => {
    const deal = await newDeal();
    await deps.db.send(new UpdateCommand({ TableName: deps.tableName, Key: recordKeys.key('Deals', deal.id), UpdateExpression: 'SET #l = :l', ExpressionAttributeNames: { '#l': 'lock' }, ExpressionAttributeValues: { ':l': { kind: 'approval', id: 'AP1', since: deps.clock().toISOString() } } }));
    const managerless = { ...deal, ownerId: 'u-manager' };
    const outcomes = await run(managerless, [
      { type: 'updateFields', fields: { stage: 'Proposal' } },
      { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 's', text: 't' } },
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^423 /) });
    expect(outcomes[1]).toMatchObject({ status: 'unresolved', detail: expect.stringMatching(/no manager/) });
    const other = await newDeal();
    const bad = await run(other, [{ type: 'createRecord', module: 'Cases', fields: { subject: { from: 'missingField' } } }]);
    expect(bad[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^400 .*fields\.subject/) });
  });

  it('a signed webhook: https, HMAC over "<t>.<body>", retried on 503, one delivery id across retries', async () => {
    const deal = await newDeal();
    hooks.received.length = 0;
    hooks.answers.push(503);
    const [outcome] = await run(deal, [{ type: 'webhook', url: hooks.url }]);
    expect(outcome).toMatchObject({ status: 'done', detail: expect.stringMatching(/answered 200/) });
    expect(hooks.received).toHaveLength(2);
    const [first, second] = hooks.received as [typeof hooks.received[0], typeof hooks.received[0]];
    expect(first.headers['keiro-delivery']).toBe(second.headers['keiro-delivery']);
    const [t, v1] = String(second.headers['keiro-signature']).split(',').map((p) => p.split('=')[1]) as [string, string];
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${second.body}`).digest('hex'));
    expect(JSON.parse(second.body)).toMatchObject({ automation: via, record: { id: deal.id, module: 'Deals' } });
  });

  it('webhooks: a receiver 4xx is a refusal; outside the local cloud a loopback target is refused before connecting; exhausted retries throw', async () => {
    const deal = await newDeal();
    hooks.received.length = 0;
    hooks.answers.push(410);
    expect((await run(deal, [{ type: 'webhook', url: hooks.url }]))[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/410/) });
    const strict = { ...deps, webhooks: { signingSecret: SECRET, ca: hooks.ca, backoffMs: 5 } };
    const before = hooks.received.length;
    const [guarded] = await runActions(strict, { sourceEventId: deps.newId(), via, depth: 1, actorId: 'u-admin', record: deal, actions: ActionListSchema.parse([{ type: 'webhook', url: hooks.url }]) as Action[] });
    expect(guarded).toMatchObject({ status: 'refused', detail: expect.stringMatching(/private, loopback or link-local/) });
    expect(hooks.received.length).toBe(before);
    hooks.answers.push(500, 500, 500);
    await expect(run(deal, [{ type: 'webhook', url: hooks.url }])).rejects.toThrow(/failed after 3 attempts/);
  });

  it('creating actions run once per scope (a blueprint transition of a record, an approval decision, a rule and record change): a second event in the scope creates nothing; everyTime does; racing events create one', async () => {
    const deal = await newDeal();
    const subject = `Plan ${deal.id}`;
    const actions = [
      { type: 'createTask', subject, assignee: { kind: 'owner' } },
      { type: 'createRecord', module: 'Cases', fields: { subject: { from: 'name' } } },
      { type: 'createTask', subject: `${subject} again`, assignee: { kind: 'owner' }, runs: 'everyTime' },
    ];
    const onceScope = `blueprint/BP1/${deal.id}/submitted`;
    const first = await run(deal, actions, { onceScope });
    const second = await run(deal, actions, { onceScope });
    expect(first.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    expect(second.map((o) => [o.status, /^already created (Tasks|Cases)\/\w+ in blueprint\/BP1\//.test(o.detail ?? '')])).toEqual([
      ['done', true],
      ['done', true],
      ['done', false],
    ]);
    const tasks = await listRecords(deps, 'Tasks', { limit: 100, filters: { relatedId: deal.id }, order: 'asc' });
    expect(tasks.items.map((t) => t.fields.subject).sort()).toEqual([subject, `${subject} again`, `${subject} again`]);
    expect((await listRecords(deps, 'Cases', { limit: 100, filters: { subject: deal.fields.name as string }, order: 'asc' })).items).toHaveLength(1);

    const raced = await newDeal();
    const racedScope = `approval/AP1/${raced.id}/approved`;
    await Promise.all([1, 2, 3].map(() => run(raced, [{ type: 'createTask', subject: `Raced ${raced.id}`, assignee: { kind: 'owner' } }], { onceScope: racedScope })));
    expect((await listRecords(deps, 'Tasks', { limit: 100, filters: { relatedId: raced.id }, order: 'asc' })).items).toHaveLength(1);
  });
});
