import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { CELLS, ROLE_USERS, type Action } from '../../fixtures/teams/permission-matrix.js';
import { startE2eApi, type ApiResponse, type E2eApi } from '../../support/e2e.js';

/**
 * The permission matrix over HTTP against the local cloud: every role × every action of
 * tests/fixtures/teams/permission-matrix.ts, each cell on its own fresh target where it changes
 * something. Allowed is any 2xx; refusals are 403, or 404 where existence must not leak.
 */
describe('CRM for Everyone: the permission matrix over HTTP', () => {
  let api: E2eApi;
  const T = OPERATIONS_TEAM_ID;
  const M = ARRANGEMENTS_MODULE;
  const SECOND_ADMIN = 't-admin2';
  let orgLead = '';
  let teamRecord = '';
  let agentsRequest = '';

  const ok = (res: ApiResponse<any>, what: string): any => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const asAdmin = (method: string, path: string, body?: unknown) => api.call('u-admin', method, path, body === undefined ? {} : { body });
  const newLead = async () => ok(await asAdmin('POST', '/v1/records/Leads', { fields: { lastName: 'Matrix' }, ownerId: 'u-agent' }), 'lead').id as string;
  const newArrangement = async () => ok(await api.call(ROLE_USERS.teamAdmin, 'POST', `/v1/records/${M}`, { body: { fields: { title: 'Hotel block', kind: 'Hotel' } } }), 'arrangement').id as string;
  const newRequest = async (by: string) => ok(await api.call(by, 'POST', `/v1/team-modules/${M}/requests`, { body: { fields: { title: `Visa for ${by}`, kind: 'Visa' } } }), 'request').id as string;
  const moduleFields = async () => (ok(await asAdmin('GET', `/v1/modules/${M}`), 'module') as { fields: unknown[] }).fields;

  beforeAll(async () => {
    api = await startE2eApi();
    for (const id of ['t-manager', 't-member', 't-participant', 't-outsider', SECOND_ADMIN]) {
      ok(await asAdmin('POST', '/v1/users', { id, email: `${id}@keiro.example`, name: id, orgRole: 'member' }), `user ${id}`);
    }
    // The team admin runs the team: they add its members.
    for (const [userId, role] of [['t-manager', 'manager'], ['t-member', 'member'], ['t-participant', 'participant'], [SECOND_ADMIN, 'admin']] as const) {
      ok(await api.call(ROLE_USERS.teamAdmin, 'PUT', `/v1/team-spaces/${T}/members/${userId}`, { body: { role } }), `member ${userId}`);
    }
    orgLead = await newLead();
    teamRecord = await newArrangement();
    agentsRequest = await newRequest('u-agent');
  });
  afterAll(async () => api?.close());

  const ACT: Record<Action, (user: string) => Promise<ApiResponse>> = {
    'org.read': (u) => api.call(u, 'GET', `/v1/records/Leads/${orgLead}`),
    'org.list': (u) => api.call(u, 'GET', '/v1/records/Leads?limit=5'),
    'org.create': (u) => api.call(u, 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'New' } } }),
    'org.update': async (u) => api.call(u, 'PATCH', `/v1/records/Leads/${await newLead()}`, { body: { fields: { company: 'Changed' } } }),
    'org.delete': async (u) => api.call(u, 'DELETE', `/v1/records/Leads/${await newLead()}`),
    'team.read': (u) => api.call(u, 'GET', `/v1/records/${M}/${teamRecord}`),
    'team.list': (u) => api.call(u, 'GET', `/v1/records/${M}?limit=5`),
    'team.create': (u) => api.call(u, 'POST', `/v1/records/${M}`, { body: { fields: { title: 'Rail passes', kind: 'Rail' } } }),
    'team.update': async (u) => api.call(u, 'PATCH', `/v1/records/${M}/${await newArrangement()}`, { body: { fields: { destination: 'Kyoto' } } }),
    'team.delete': async (u) => api.call(u, 'DELETE', `/v1/records/${M}/${await newArrangement()}`),
    'fields.manage': async (u) => api.call(u, 'PUT', `/v1/modules/${M}`, { body: { fields: await moduleFields() } }),
    'requesters.manage': (u) => api.call(u, 'PUT', `/v1/team-modules/${M}/requesters/u-manager`),
    'request.submit': (u) => api.call(u, 'POST', `/v1/team-modules/${M}/requests`, { body: { fields: { title: 'Insurance', kind: 'Insurance' } } }),
    'request.readOwn': async (u) => api.call(u, 'GET', `/v1/my-requests/${await newRequest(u)}`),
    'request.readOthers': (u) => api.call(u, 'GET', `/v1/requests/${agentsRequest}`),
    'request.handle': async (u) => {
      const id = await newRequest(ROLE_USERS.requester);
      ok(await asAdmin('PATCH', `/v1/requests/${id}`, { assigneeId: ROLE_USERS.teamAdmin }), 'assign');
      return api.call(u, 'PATCH', `/v1/requests/${id}`, { body: { status: 'In Progress' } });
    },
    'request.comment': async (u) => {
      const id = await newRequest(ROLE_USERS.requester);
      ok(await asAdmin('PATCH', `/v1/requests/${id}`, { assigneeId: ROLE_USERS.teamAdmin }), 'assign');
      return api.call(u, 'PATCH', `/v1/requests/${id}`, { body: { comment: 'Noted' } });
    },
    'admin.revoke': async (u) => {
      ok(await asAdmin('PUT', `/v1/team-spaces/${T}/members/${SECOND_ADMIN}`, { role: 'admin' }), 'restore');
      return api.call(u, 'DELETE', `/v1/team-spaces/${T}/admins/${SECOND_ADMIN}`);
    },
  };

  it.each(CELLS)('$role → $action: $outcome', async ({ role, action, outcome }) => {
    const res = await ACT[action](ROLE_USERS[role]);
    if (outcome === 'allow') expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    else {
      expect(res.status, JSON.stringify(res.body)).toBe(outcome);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refusals changed nothing: the team admin is still admin, the refused requester grant was never made', async () => {
    const team = ok(await asAdmin('GET', `/v1/team-spaces/${T}`), 'team') as { members: Array<{ userId: string; role: string }> };
    expect(team.members.find((m) => m.userId === ROLE_USERS.teamAdmin)?.role).toBe('admin');
    const history = ok(await asAdmin('GET', `/v1/team-spaces/${T}/history?limit=200`), 'history') as { items: Array<{ event: string; actor: string }> };
    const revocations = history.items.filter((h) => h.event === 'team.admin-revoked');
    expect(revocations.every((h) => h.actor === 'u-admin')).toBe(true);
    expect(revocations).toHaveLength(1);
  });
});
