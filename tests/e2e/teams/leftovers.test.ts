import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { requestKeys } from '../../../shared/db/keys.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** What the teams work left over: request locators on delete, settings races, paging of team spaces. */
describe('teams: leftovers', () => {
  let api: E2eApi;

  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(async () => api?.close());

  const submit = async (title: string): Promise<string> => {
    const res = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title, kind: 'Flight' } } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('deleting a request through the records API removes its locator in the same transaction', async () => {
    const id = await submit('To be deleted');
    const locator = async () => (await api.deps.db.send(new GetCommand({ TableName: api.deps.tableName, Key: requestKeys.key(id), ConsistentRead: true }))).Item;
    expect(await locator()).toBeDefined();
    expect((await api.call('u-ops', 'DELETE', `/v1/records/${ARRANGEMENTS_MODULE}/${id}`)).status).toBe(204);
    expect(await locator()).toBeUndefined();
    // Nothing dangles: the team queue and My Requests no longer list it, and reading it is a 404.
    const mine = await api.call('u-requester', 'GET', '/v1/my-requests');
    expect(mine.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    const queue = await api.call('u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    expect((await api.call('u-requester', 'GET', `/v1/my-requests/${id}`)).status).toBe(404);
    expect((await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { status: 'Done' } })).status).toBe(404);
    // The history stays readable, as for any deleted record.
    const history = await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/${id}/history`);
    expect(history.body.items.map((h: { event: string }) => h.event)).toContain('record.deleted');
  });

  it('concurrent PUTs of team tabs without If-Match all succeed (last writer wins); a stale If-Match is 412', async () => {
    const sets = [['Accounts'], ['Contacts'], ['Deals'], ['Leads'], ['Cases'], ['Accounts', 'Deals'], ['Contacts', 'Leads'], ['Tasks']];
    const results = await Promise.all(sets.map((tabs) => api.call('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/tabs`, { body: { tabs } })));
    expect(results.map((r) => r.status)).toEqual(sets.map(() => 200));
    const team = await api.call('u-ops', 'GET', `/v1/team-spaces/${OPERATIONS_TEAM_ID}`);
    const versions = results.map((r) => Number(JSON.parse(r.headers.get('etag') as string)));
    expect(new Set(versions).size).toBe(sets.length);
    expect(team.headers.get('etag')).toBe(`"${Math.max(...versions)}"`);
    const stale = await api.call('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/tabs`, { body: { tabs: ['Accounts'] }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const history = await api.call('u-ops', 'GET', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/history?limit=200`);
    expect(history.body.items.filter((h: { event: string }) => h.event === 'team.tabs-changed')).toHaveLength(sets.length);
  });

  it('concurrent PUTs of assignment rules without If-Match all succeed; a stale If-Match is 412', async () => {
    const path = `/v1/team-modules/${ARRANGEMENTS_MODULE}/assignment-rules`;
    const before = await api.call('u-ops', 'GET', path);
    const bodies = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? { otherwise: { kind: 'user', userId: 'u-ops' } } : { otherwise: { kind: 'none' } }));
    const results = await Promise.all(bodies.map((body) => api.call('u-ops', 'PUT', path, { body })));
    expect(results.map((r) => `${r.status} ${r.status === 200 ? '' : JSON.stringify(r.body)}`)).toEqual(bodies.map(() => '200 '));
    const after = await api.call('u-ops', 'GET', path);
    expect(after.body.version).toBe(before.body.version + bodies.length);
    const stale = await api.call('u-ops', 'PUT', path, { body: { otherwise: { kind: 'none' } }, headers: { 'if-match': `"${before.body.version}"` } });
    expect(stale.status).toBe(412);
  });

  it('GET /v1/team-spaces pages for members as for admins: limit, cursor, nextCursor only before a non-empty page', async () => {
    const ids: string[] = [];
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) {
      const res = await api.call('u-admin', 'POST', '/v1/team-spaces', { body: { name, tabs: [], members: [{ userId: 'u-agent', role: 'member' }] } });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await api.call('u-agent', 'GET', `/v1/team-spaces?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((t: { name: string }) => t.name));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    const exact = await api.call('u-agent', 'GET', '/v1/team-spaces?limit=5');
    expect(exact.body.items).toHaveLength(5);
    expect(exact.body.nextCursor).toBeUndefined();
    expect((await api.call('u-agent', 'GET', '/v1/team-spaces?cursor=not-a-cursor')).status).toBe(400);
    expect((await api.call('u-agent', 'GET', '/v1/team-spaces?limit=0')).status).toBe(400);
  });
});
