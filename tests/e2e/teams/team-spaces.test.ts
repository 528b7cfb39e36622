import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type ApiResponse, type E2eApi } from '../../support/e2e.js';

/** Team spaces, members, tabs, team modules and assignment rules over HTTP (beyond the matrix). */
describe('team spaces: delegated administration', () => {
  let api: E2eApi;
  let teamId = '';
  const ok = (res: ApiResponse<any>, what: string): any => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    api = await startE2eApi();
    for (const id of ['l-lead', 'l-one', 'l-two', 'l-guest']) {
      ok(await api.call('u-admin', 'POST', '/v1/users', { body: { id, email: `${id}@keiro.example`, name: id, orgRole: id === 'l-guest' ? 'guest' : 'member' } }), id);
    }
  });
  afterAll(async () => api?.close());

  it('only an org admin creates a team space; it names the first admin; bad members and tabs are 400', async () => {
    expect((await api.call('u-manager', 'POST', '/v1/team-spaces', { body: { name: 'Legal' } })).status).toBe(403);
    const bad = await api.call('u-admin', 'POST', '/v1/team-spaces', { body: { name: 'Legal', tabs: ['Nope', 'Arrangements'], members: [{ userId: 'nobody', role: 'admin' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['tabs.0', 'tabs.1']);
    const res = await api.call('u-admin', 'POST', '/v1/team-spaces', { body: { name: 'Legal', description: 'Contracts', tabs: ['Accounts'], members: [{ userId: 'l-lead', role: 'admin' }] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Legal', tabs: [{ module: 'Accounts', kind: 'org', label: 'Accounts' }], members: [{ userId: 'l-lead', role: 'admin' }] });
    teamId = res.body.id;
  });

  it('the team admin adds members (a guest too); the team is visible to its members only', async () => {
    expect((await api.call('l-lead', 'PUT', `/v1/team-spaces/${teamId}/members/l-one`, { body: { role: 'member' } })).body).toMatchObject({ role: 'member' });
    ok(await api.call('l-lead', 'PUT', `/v1/team-spaces/${teamId}/members/l-two`, { body: { role: 'member' } }), 'l-two');
    ok(await api.call('l-lead', 'PUT', `/v1/team-spaces/${teamId}/members/l-guest`, { body: { role: 'participant' } }), 'l-guest');
    expect((await api.call('l-lead', 'PUT', `/v1/team-spaces/${teamId}/members/nobody`, { body: { role: 'member' } })).status).toBe(404);
    expect((await api.call('l-lead', 'PUT', `/v1/team-spaces/${teamId}/members/l-two`, { body: { role: 'owner' } })).status).toBe(400);
    expect((await api.call('l-one', 'PUT', `/v1/team-spaces/${teamId}/members/l-two`, { body: { role: 'admin' } })).status).toBe(403);
    expect((await api.call('u-agent', 'PUT', `/v1/team-spaces/${teamId}/members/l-two`, { body: { role: 'admin' } })).status).toBe(404);

    expect((await api.call('l-guest', 'GET', '/v1/team-spaces')).body.items).toEqual([{ id: teamId, name: 'Legal', description: 'Contracts', role: 'participant' }]);
    expect((await api.call('u-agent', 'GET', '/v1/team-spaces')).body.items).toEqual([]);
    expect((await api.call('u-admin', 'GET', '/v1/team-spaces')).body.items.map((t: { name: string }) => t.name)).toEqual(['Legal', 'Operations']);
    expect((await api.call('u-agent', 'GET', `/v1/team-spaces/${teamId}`)).status).toBe(404);
    expect((await api.call('l-one', 'GET', `/v1/team-spaces/${teamId}/history`)).status).toBe(403);
    const history = await api.call('l-lead', 'GET', `/v1/team-spaces/${teamId}/history`);
    expect(history.body.items.filter((h: { event: string }) => h.event === 'team.member-added')).toHaveLength(4);
  });

  it('the team admin creates a team module (with the request system fields) and it becomes a tab; members may not', async () => {
    const fields = [
      { name: 'subject', label: 'Subject', type: 'text', required: true },
      { name: 'contractType', label: 'Type', type: 'picklist', options: ['NDA', 'MSA', 'Lease'] },
      { name: 'value', label: 'Value', type: 'currency' },
    ];
    expect((await api.call('l-one', 'POST', `/v1/team-spaces/${teamId}/modules`, { body: { name: 'Contracts', label: 'Contracts', fields } })).status).toBe(403);
    const res = await api.call('l-lead', 'POST', `/v1/team-spaces/${teamId}/modules`, { body: { name: 'Contracts', label: 'Contracts', fields } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'team', ownerTeamId: teamId });
    expect(res.body.fields.map((f: { name: string }) => f.name)).toEqual(['subject', 'contractType', 'value', 'requestStatus', 'requesterId', 'assigneeId']);
    const team = await api.call('l-one', 'GET', `/v1/team-spaces/${teamId}`);
    expect(team.body.tabs).toEqual([
      { module: 'Accounts', label: 'Accounts', kind: 'org' },
      { module: 'Contracts', label: 'Contracts', kind: 'team' },
    ]);
    // A participant (a guest in the org) reads the team's records but cannot create them.
    expect((await api.call('l-guest', 'GET', '/v1/records/Contracts')).status).toBe(200);
    expect((await api.call('l-guest', 'POST', '/v1/records/Contracts', { body: { fields: { subject: 'x' } } })).status).toBe(403);
    // The system fields are read-only to the record API.
    const direct = await api.call('l-one', 'POST', '/v1/records/Contracts', { body: { fields: { subject: 'x', requestStatus: 'Done' } } });
    expect(direct.status).toBe(400);
  });

  it('assignment rules: criteria first, then round-robin among named members, taking turns', async () => {
    const bad = await api.call('l-lead', 'PUT', '/v1/team-modules/Contracts/assignment-rules', { body: { criteria: [{ when: { all: [{ field: 'contractType', op: 'eq', value: 'Loan' }] }, assignTo: 'l-guest' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['criteria.0.when.all.0.value', 'criteria.0.assignTo']);
    expect((await api.call('l-one', 'PUT', '/v1/team-modules/Contracts/assignment-rules', { body: {} })).status).toBe(403);
    const set = await api.call('l-lead', 'PUT', '/v1/team-modules/Contracts/assignment-rules', {
      body: { criteria: [{ when: { all: [{ field: 'contractType', op: 'eq', value: 'Lease' }] }, assignTo: 'l-lead' }], otherwise: { kind: 'round-robin', among: ['l-one', 'l-two'] } },
      headers: { 'if-match': '"0"' },
    });
    expect(set.status).toBe(200);
    expect(set.headers.get('etag')).toBe('"1"');
    ok(await api.call('l-lead', 'PUT', '/v1/team-modules/Contracts/requesters/u-agent'), 'grant');

    const submit = async (contractType: string) =>
      ok(await api.call('u-agent', 'POST', '/v1/team-modules/Contracts/requests', { body: { fields: { subject: `${contractType} for Sakura`, contractType } } }), 'submit').assigneeId as string;
    expect(await submit('Lease')).toBe('l-lead');
    const turns = [await submit('NDA'), await submit('MSA'), await submit('NDA'), await submit('MSA')];
    expect(turns.filter((a) => a === 'l-one')).toHaveLength(2);
    expect(turns.filter((a) => a === 'l-two')).toHaveLength(2);
    expect(turns[0]).not.toBe(turns[1]);

    // A member takes an unassigned request, and works only on theirs.
    const queue = await api.call('l-one', 'GET', '/v1/team-modules/Contracts/requests?assignee=me');
    expect(queue.body.items).toHaveLength(2);
    const theirs = (await api.call('l-one', 'GET', '/v1/team-modules/Contracts/requests')).body.items.find((r: { assigneeId: string }) => r.assigneeId === 'l-two');
    expect((await api.call('l-one', 'PATCH', `/v1/requests/${theirs.id}`, { body: { status: 'Done' } })).status).toBe(403);
    expect((await api.call('l-lead', 'PATCH', `/v1/requests/${theirs.id}`, { body: { assigneeId: null } })).body.assigneeId).toBeUndefined();
    const taken = await api.call('l-one', 'PATCH', `/v1/requests/${theirs.id}`, { body: { assigneeId: 'l-one', status: 'In Progress' } });
    expect(taken.body).toMatchObject({ assigneeId: 'l-one', status: 'In Progress' });
    expect((await api.call('l-lead', 'PATCH', `/v1/requests/${theirs.id}`, { body: { assigneeId: 'l-guest' } })).status).toBe(400);
    // The record's owner follows the assignee: the member may now edit it as a record too.
    expect((await api.call('l-one', 'PATCH', `/v1/records/Contracts/${theirs.id}`, { body: { fields: { value: 1200 } } })).status).toBe(200);
  });

  it('requester grants are listed for the team and revoked with history; a revoked requester keeps following their requests', async () => {
    expect((await api.call('l-guest', 'GET', '/v1/team-modules/Contracts/requesters')).body.items.map((r: { userId: string }) => r.userId)).toEqual(['u-agent']);
    expect((await api.call('l-one', 'DELETE', '/v1/team-modules/Contracts/requesters/u-agent')).status).toBe(403);
    expect((await api.call('l-lead', 'DELETE', '/v1/team-modules/Contracts/requesters/u-agent')).status).toBe(204);
    expect((await api.call('l-lead', 'DELETE', '/v1/team-modules/Contracts/requesters/u-agent')).status).toBe(404);
    expect((await api.call('u-agent', 'POST', '/v1/team-modules/Contracts/requests', { body: { fields: { subject: 'x' } } })).status).toBe(404);
    const mine = await api.call('u-agent', 'GET', '/v1/my-requests');
    expect(mine.body.items.filter((r: { module: string }) => r.module === 'Contracts')).toHaveLength(5);
    const events = (await api.call('l-lead', 'GET', `/v1/team-spaces/${teamId}/history`)).body.items.map((h: { event: string }) => h.event);
    expect(events.slice(0, 2)).toEqual(['team.requester-revoked', 'team.requester-granted']);
  });
});
