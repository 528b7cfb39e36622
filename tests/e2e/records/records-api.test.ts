import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const createLead = async (userId: string, fields: Record<string, unknown>) => {
  const res = await api.call<any>(userId, 'POST', '/v1/records/Leads', { body: { fields } });
  expect(res.status).toBe(201);
  return res.body;
};

describe('records over HTTP, as a front-end would', () => {
  it('creates a lead, reads it with its ETag, patches it with If-Match, and shows two history entries', async () => {
    const created = await createLead('u-agent', { lastName: 'Kobayashi', email: 'k@example.jp', leadStatus: 'New' });
    const read = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.fields).toEqual({ lastName: 'Kobayashi', email: 'k@example.jp', leadStatus: 'New' });

    const patched = await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${created.id}`, {
      body: { fields: { leadStatus: 'Contacted', firstName: 'Ren' } },
      headers: { 'if-match': read.headers.get('etag') as string, 'x-change-reason': 'Called back; first name confirmed' },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(patched.body.fields.leadStatus).toBe('Contacted');

    const history = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${created.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(2);
    const [update, create] = history.body.items;
    expect(create).toMatchObject({ event: 'record.created', actor: 'u-agent', via: 'api' });
    expect(update).toMatchObject({ event: 'record.updated', actor: 'u-agent', via: 'api', reason: 'Called back; first name confirmed' });
    expect(create.reason).toBeUndefined();
    expect(update.changes).toEqual(
      expect.arrayContaining([
        { field: 'leadStatus', old: 'New', new: 'Contacted' },
        { field: 'firstName', old: null, new: 'Ren' },
      ]),
    );
  });

  it('refuses an over-long change reason with 400 and changes nothing', async () => {
    const lead = await createLead('u-agent', { lastName: 'Reasoned' });
    const res = await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { company: 'Z' } }, headers: { 'x-change-reason': 'x'.repeat(501) } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'X-Change-Reason', message: expect.any(String) }]);
    expect((await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`)).body.version).toBe(1);
  });

  it('answers a stale If-Match with 412 and changes nothing', async () => {
    const lead = await createLead('u-agent', { lastName: 'Stale' });
    await api.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { company: 'A' } }, headers: { 'if-match': '"1"' } });
    const stale = await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { company: 'B' } }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    const read = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`);
    expect(read.body.fields.company).toBe('A');
  });

  it('lets exactly one of 20 concurrent patches with the same If-Match win', async () => {
    const lead = await createLead('u-agent', { lastName: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { company: `C${i}` } }, headers: { 'if-match': '"1"' } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const read = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`);
    expect(read.body.version).toBe(2);
  });

  it('loses no update when concurrent patches come without If-Match', async () => {
    const lead = await createLead('u-agent', { lastName: 'Merge' });
    const fields = ['firstName', 'company', 'timeZone', 'email'] as const;
    const values = { firstName: 'Mio', company: 'Merge Inc', timeZone: 'Asia/Tokyo', email: 'mio@merge.example' };
    const results = await Promise.all(fields.map((f) => api.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { [f]: values[f] } } })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const read = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`);
    expect(read.body.fields).toMatchObject(values);
    expect(read.body.version).toBe(5);
  });

  it('rejects an invalid email with 400 problem+json naming fields.email, and writes nothing', async () => {
    const before = await api.call<any>('u-agent', 'GET', '/v1/records/Leads?limit=200&filter[lastName]=Invalid');
    const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Invalid', email: 'not-an-email' } } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(res.body.errors).toEqual([{ path: 'fields.email', message: expect.any(String) }]);
    const after = await api.call<any>('u-agent', 'GET', '/v1/records/Leads?limit=200&filter[lastName]=Invalid');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('refuses a time zone that is not an IANA name (Mars/Olympus) on create and patch at fields.timeZone, and writes nothing', async () => {
    const created = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Martian', timeZone: 'Mars/Olympus' } } });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ path: 'fields.timeZone', message: 'Not an IANA time zone (e.g. Asia/Tokyo)' }]);
    const lead = await createLead('u-agent', { lastName: 'Earthling', timeZone: 'Asia/Tokyo' });
    const patched = await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { timeZone: 'asia/tokyo' } } });
    expect(patched.status).toBe(400);
    expect(patched.body.errors.map((e: { path: string }) => e.path)).toEqual(['fields.timeZone']);
    expect((await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`)).body).toMatchObject({ version: 1, fields: { timeZone: 'Asia/Tokyo' } });
  });

  it('reports every bad field at once: missing required, unknown, read-only, wrong picklist value', async () => {
    const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { nickname: 'x', converted: true, leadStatus: 'Hot' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.converted', 'fields.lastName', 'fields.leadStatus', 'fields.nickname']);
  });

  it('refuses a missing, malformed or foreign token with 401', async () => {
    expect((await api.call(null, 'GET', '/v1/records/Leads')).status).toBe(401);
    const bad = await fetch(`${api.baseUrl}/v1/records/Leads`, { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('hides org module records from a guest (404) and refuses a member changing a peer record (403)', async () => {
    const lead = await createLead('u-manager', { lastName: 'Managed' });
    expect((await api.call('u-requester', 'GET', `/v1/records/Leads/${lead.id}`)).status).toBe(404);
    expect((await api.call('u-requester', 'GET', '/v1/records/Leads')).status).toBe(404);
    expect((await api.call('u-ops', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { company: 'X' } } })).status).toBe(403);
    expect((await api.call('u-agent', 'DELETE', `/v1/records/Leads/${lead.id}`)).status).toBe(403);
  });

  it("lets a manager change a record owned by someone who reports to them", async () => {
    const lead = await createLead('u-agent', { lastName: 'Reports' });
    const res = await api.call<any>('u-manager', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { leadStatus: 'Qualified' } } });
    expect(res.status).toBe(200);
    expect((await api.call('u-manager', 'DELETE', `/v1/records/Leads/${lead.id}`)).status).toBe(204);
    expect((await api.call('u-manager', 'GET', `/v1/records/Leads/${lead.id}`)).status).toBe(404);
    const history = await api.call<any>('u-manager', 'GET', `/v1/records/Leads/${lead.id}/history`);
    expect(history.body.items.map((h: { event: string }) => h.event)).toEqual(['record.deleted', 'record.updated', 'record.created']);
  });

  it('finds a lead by phone whichever way the number is written', async () => {
    const lead = await createLead('u-agent', { lastName: 'Phone', phone: '090-3333-4444' });
    for (const value of ['090-3333-4444', '+81 90 3333 4444', '09033334444']) {
      const res = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/lookup?field=phone&value=${encodeURIComponent(value)}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([lead.id]);
    }
  });

  it('finds the seeded lead by phone in all three forms of the issue', async () => {
    for (const value of ['090-1234-5678', '+81 90 1234 5678', '09012345678']) {
      const res = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/lookup?field=phone&value=${encodeURIComponent(value)}`);
      expect(res.body.items.map((r: { fields: { lastName: string } }) => r.fields.lastName)).toContain('Tanaka');
    }
  });

  it('moves the lookup when the phone changes', async () => {
    const lead = await createLead('u-agent', { lastName: 'Mover', email: 'Mover@Example.jp' });
    await api.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { email: 'moved@example.jp' } } });
    const old = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/lookup?field=email&value=mover%40example.jp`);
    expect(old.body.items).toEqual([]);
    const found = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/lookup?field=email&value=MOVED%40example.jp`);
    expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([lead.id]);
  });

  it('lists related records through lookup fields, and refuses a lookup to a missing record', async () => {
    const account = await api.call<any>('u-agent', 'POST', '/v1/records/Accounts', { body: { fields: { name: 'Related Co' } } });
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Rel', accountId: account.body.id } } });
    expect(contact.status).toBe(201);
    const related = await api.call<any>('u-agent', 'GET', `/v1/records/Accounts/${account.body.id}/related/Contacts`);
    expect(related.body.items.map((r: { id: string }) => r.id)).toEqual([contact.body.id]);
    const dangling = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Dangling', accountId: 'nope' } } });
    expect(dangling.status).toBe(400);
    expect(dangling.body.errors).toEqual([{ path: 'fields.accountId', message: 'No Accounts record with this id' }]);
  });

  it('filters lists by field equality and pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) await createLead('u-agent', { lastName: `Page${i}`, industry: 'Education' });
    const first = await api.call<any>('u-agent', 'GET', '/v1/records/Leads?limit=3&filter[industry]=Education');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toBeTypeOf('string');
    const second = await api.call<any>('u-agent', 'GET', `/v1/records/Leads?limit=3&filter[industry]=Education&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(5);
    const bad = await api.call<any>('u-agent', 'GET', '/v1/records/Leads?filter[industry]=Space');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('filter[industry]');
  });

  it('replays a POST with the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'create-lead-once' };
    const first = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Once' } }, headers });
    const replay = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Once' } }, headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const list = await api.call<any>('u-agent', 'GET', '/v1/records/Leads?filter[lastName]=Once');
    expect(list.body.items).toHaveLength(1);
    const other = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Twice' } }, headers });
    expect(other.status).toBe(422);
  });

  it('lets an admin create a custom module that members then use, and refuses a member', async () => {
    const definition = { name: 'Visas', label: 'Visas', fields: [{ name: 'country', label: 'Country', type: 'text', required: true }, { name: 'kind', label: 'Kind', type: 'picklist', options: ['Tourist', 'Business'] }] };
    expect((await api.call('u-agent', 'POST', '/v1/modules', { body: definition })).status).toBe(403);
    const created = await api.call<any>('u-admin', 'POST', '/v1/modules', { body: definition });
    expect(created.status).toBe(201);
    expect((await api.call('u-admin', 'POST', '/v1/modules', { body: definition })).status).toBe(409);
    const record = await api.call<any>('u-agent', 'POST', '/v1/records/Visas', { body: { fields: { country: 'Japan', kind: 'Tourist' } } });
    expect(record.status).toBe(201);
    const badField = await api.call<any>('u-admin', 'POST', '/v1/modules', { body: { ...definition, name: 'Broken', fields: [{ name: 'Bad Name', label: 'x', type: 'picklist' }] } });
    expect(badField.status).toBe(400);
    expect(badField.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['fields.0.name', 'fields.0.options']));
  });

  it('answers malformed JSON and unknown routes with problem+json', async () => {
    const malformed = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: '{"fields":' });
    expect(malformed.status).toBe(400);
    const missing = await api.call<any>('u-agent', 'GET', '/v1/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe(404);
    const unknownModule = await api.call<any>('u-agent', 'GET', '/v1/records/Spaceships');
    expect(unknownModule.status).toBe(404);
  });
});
