import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { approvalKeys } from '../../../shared/db/keys.js';
import { startE2eApi, type ApiResponse, type E2eApi } from '../../support/e2e.js';

/**
 * The approval reads of issue 17 §2 (GET /v1/approvals/{id} and the inbox): what they answer from the
 * fewer items they now read. Inbox items carry a copy of their approval, which never lags behind it;
 * access is decided on the caller as they are now, on every request.
 */
describe('approval reads: the inbox copy and the access of the caller as they are now', () => {
  let api: E2eApi;
  const ok = (res: ApiResponse<any>, what: string): any => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (user: string, id: string) => api.call(user, 'GET', `/v1/approvals/${id}`);
  const inboxEntry = async (user: string, id: string) =>
    (ok(await api.call(user, 'GET', '/v1/approvals?status=pending&assignee=me'), `${user} inbox`).items as Array<{ id: string }>).find((a) => a.id === id);

  beforeAll(async () => {
    api = await startE2eApi();
    ok(await api.call('u-admin', 'POST', '/v1/users', { body: { id: 'ar-member', email: 'ar-member@keiro.example', name: 'Reader', orgRole: 'member' } }), 'user');
    ok(await api.call('u-admin', 'POST', '/v1/modules', { body: { name: 'Budgets', label: 'Budgets', fields: [{ name: 'title', label: 'Title', type: 'text', required: true }, { name: 'amount', label: 'Amount', type: 'number', required: false }] } }), 'module');
    ok(
      await api.call('u-admin', 'POST', '/v1/approval-processes', {
        body: { name: 'Both sign big budgets', module: 'Budgets', triggers: { onCreate: true }, criteria: { all: [{ field: 'amount', op: 'gt', value: 100 }] }, levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }, { kind: 'user', userId: 'u-ops' }], rule: 'everyone' }] },
      }),
      'process',
    );
  });
  afterAll(async () => api?.close());

  it("every holder's inbox shows the approval as GET shows it, after each change", async () => {
    const record = ok(await api.call('u-agent', 'POST', '/v1/records/Budgets', { body: { fields: { title: 'Offsite', amount: 500 } } }), 'record');
    const id = record.lock.approvalId as string;
    const current = async () => ok(await get('u-admin', id), 'get');

    expect(await inboxEntry('u-manager', id)).toEqual(await current());
    expect(await inboxEntry('u-ops', id)).toEqual(await current());

    // One of two signs: the other still holds it, and their copy shows the signature.
    ok(await api.call('u-manager', 'POST', `/v1/approvals/${id}/approve`, { body: { comment: 'Fine by me' } }), 'approve');
    expect(await inboxEntry('u-manager', id)).toBeUndefined();
    const afterFirst = await current();
    expect(afterFirst.history).toHaveLength(2);
    expect(await inboxEntry('u-ops', id)).toEqual(afterFirst);

    ok(await api.call('u-ops', 'POST', `/v1/approvals/${id}/delegate`, { body: { toUserId: 'u-admin', comment: 'Away' } }), 'delegate');
    expect(await inboxEntry('u-ops', id)).toBeUndefined();
    expect(await inboxEntry('u-admin', id)).toEqual(await current());

    ok(await api.call('u-admin', 'POST', `/v1/approvals/${id}/approve`, { body: {} }), 'final approve');
    expect((await current()).status).toBe('approved');
    for (const user of ['u-manager', 'u-ops', 'u-admin']) expect(await inboxEntry(user, id)).toBeUndefined();
  });

  it('an inbox item written before items carried their approval is still listed, read by id', async () => {
    const record = ok(await api.call('u-agent', 'POST', '/v1/records/Budgets', { body: { fields: { title: 'Old inbox', amount: 900 } } }), 'record');
    const id = record.lock.approvalId as string;
    const approval = ok(await get('u-admin', id), 'get');
    await api.deps.db.send(new PutCommand({ TableName: api.deps.tableName, Item: { ...approvalKeys.inbox('u-manager', approval.submittedAt, id), entity: 'ApprovalInbox', approvalId: id, assigneeId: 'u-manager' } }));
    expect(await inboxEntry('u-manager', id)).toEqual(approval);
  });

  it('GET of an org module approval follows the caller as they are now: a member reads it, the same user demoted to guest does not', async () => {
    const record = ok(await api.call('u-agent', 'POST', '/v1/records/Budgets', { body: { fields: { title: 'Demotion', amount: 700 } } }), 'record');
    const id = record.lock.approvalId as string;
    expect((await get('ar-member', id)).status).toBe(200);
    expect((await get('ar-member', id)).status).toBe(200);
    const user = ok(await api.call('u-admin', 'GET', '/v1/users/ar-member'), 'user');
    ok(await api.call('u-admin', 'PATCH', '/v1/users/ar-member', { body: { orgRole: 'guest' }, headers: { 'if-match': `"${user.version}"` } }), 'demote');
    expect((await get('ar-member', id)).status).toBe(404);
    expect((await get('u-not-in-directory', id)).status).toBe(403);
    expect((await get('u-not-in-directory', '01NOSUCHAPPROVAL000000000')).status).toBe(403);
    expect((await get('u-agent', '01NOSUCHAPPROVAL000000000')).status).toBe(404);
  });

  it("GET of a team module approval: the team reads it; a member removed from the team does not, on the very next request", async () => {
    ok(
      await api.call('u-ops', 'POST', '/v1/approval-processes', {
        body: { name: 'Big budget on Arrangements', module: ARRANGEMENTS_MODULE, triggers: { onCreate: true }, criteria: { all: [{ field: 'budget', op: 'gt', value: 100000 }] }, levels: [{ approvers: [{ kind: 'user', userId: 'u-ops' }] }] },
      }),
      'team process',
    );
    ok(await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Charter', kind: 'Flight', budget: 250000 } } }), 'request');
    const inbox = ok(await api.call('u-ops', 'GET', '/v1/approvals?status=pending&assignee=me'), 'inbox').items as Array<{ id: string; module: string }>;
    const id = inbox.find((a) => a.module === ARRANGEMENTS_MODULE)?.id as string;
    expect(id).toBeDefined();
    expect((await get('u-agent', id)).status).toBe(404);
    ok(await api.call('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-agent`, { body: { role: 'participant' } }), 'add');
    expect((await get('u-agent', id)).status).toBe(200);
    expect((await get('u-agent', id)).status).toBe(200);
    expect((await api.call('u-ops', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-agent`)).status).toBe(204);
    expect((await get('u-agent', id)).status).toBe(404);
  });
});
