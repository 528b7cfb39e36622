import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** Request header limits (400 naming the header, nothing changed), Idempotent-Replayed, and team member ETags. */
let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const leadsNamed = async (lastName: string): Promise<unknown[]> =>
  (await api.call<any>('u-admin', 'GET', `/v1/records/Leads?filter%5BlastName%5D=${lastName}`)).body.items;

describe('request header limits', () => {
  it.each([
    ['Idempotency-Key', 'k'.repeat(256)],
    ['Idempotency-Key', ''],
    ['X-Change-Reason', 'r'.repeat(501)],
    ['X-Correlation-Id', 'c'.repeat(201)],
    ['If-Match', 'W/1'],
  ])('POST with %s of a bad length or form → 400 naming it, nothing created', async (header, value) => {
    const lastName = `Header${header.replace(/-/g, '')}${value.length}`;
    const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName } }, headers: { [header]: value } });
    if (header === 'If-Match') {
      // POST /v1/records takes no If-Match: the header is not the route's and is ignored.
      expect(res.status).toBe(201);
      return;
    }
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: header, message: expect.any(String) }]);
    expect(await leadsNamed(lastName)).toEqual([]);
  });

  it('a DELETE with an over-long X-Change-Reason is 400 and the record stays', async () => {
    const lead = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Stays' } } });
    const res = await api.call<any>('u-agent', 'DELETE', `/v1/records/Leads/${lead.body.id}`, { headers: { 'x-change-reason': 'r'.repeat(501) } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('X-Change-Reason');
    expect((await api.call('u-agent', 'GET', `/v1/records/Leads/${lead.body.id}`)).status).toBe(200);
  });

  it('limits at the edge are taken', async () => {
    const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', {
      body: { fields: { lastName: 'AtTheEdge' } },
      headers: { 'idempotency-key': 'k'.repeat(255), 'x-change-reason': 'r'.repeat(500), 'x-correlation-id': 'c'.repeat(200) },
    });
    expect(res.status).toBe(201);
  });
});

describe('Idempotent-Replayed', () => {
  it('is absent on the first response and true on a replay', async () => {
    const send = () => api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Replayed' } }, headers: { 'idempotency-key': 'replay-once' } });
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });
});

describe('team member responses carry their ETag', () => {
  it('PUT member and DELETE admins answer ETag "<version>" of the membership', async () => {
    await api.call('u-admin', 'POST', '/v1/users', { body: { id: 'u-etag', email: 'etag@keiro.example', name: 'Etag', orgRole: 'member' } });
    const added = await api.call<any>('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-etag`, { body: { role: 'admin' } });
    expect(added.status).toBe(200);
    expect(added.headers.get('etag')).toBe(`"${added.body.version}"`);
    const revoked = await api.call<any>('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-etag`);
    expect(revoked.status).toBe(200);
    expect(revoked.headers.get('etag')).toBe(`"${revoked.body.version}"`);
    expect(revoked.body.version).toBeGreaterThan(added.body.version);
  });
});
