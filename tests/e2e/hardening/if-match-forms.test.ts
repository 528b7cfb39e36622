import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const newLead = async (): Promise<string> => {
  const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Etag' } } });
  expect(res.status).toBe(201);
  return res.body.id;
};

const patch = (id: string, ifMatch: string, company: string) =>
  api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${id}`, { body: { fields: { company } }, headers: { 'if-match': ifMatch } });

const versionOf = async (id: string): Promise<number> => (await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${id}`)).body.version;

describe('If-Match forms (RFC 9110 strong comparison), on a record at version 1', () => {
  it.each([
    ['W/"1"', 412],
    ['W/"1", W/"2"', 412],
    ['"opaque"', 412],
    ['"2"', 412],
    ['"2", "3"', 412],
    ['"1"', 200],
    ['"0", "1"', 200],
    ['W/"1", "1"', 200],
    ['*', 200],
  ])('PATCH with If-Match %s → %s, and a 412 changes nothing', async (ifMatch, status) => {
    const id = await newLead();
    const res = await patch(id, ifMatch, 'Changed');
    expect(res.status).toBe(status);
    expect(await versionOf(id)).toBe(status === 200 ? 2 : 1);
    if (status === 412) expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each(['1', ' 1 ', '"0", 1', '"1', 'W/1', '"1",', '*, "1"', 'w/"1"'])('a malformed If-Match %j is 400 naming the header', async (ifMatch) => {
    const id = await newLead();
    const res = await patch(id, ifMatch, 'Changed');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
    expect(await versionOf(id)).toBe(1);
  });

  it('* on a record that does not exist is 404, not a write', async () => {
    const res = await patch('01JNOSUCHRECORD00000000000', '*', 'Ghost');
    expect(res.status).toBe(404);
  });

  it('DELETE honours the same forms: a weak tag is 412, a list with the current tag deletes', async () => {
    const id = await newLead();
    expect((await api.call('u-agent', 'DELETE', `/v1/records/Leads/${id}`, { headers: { 'if-match': 'W/"1"' } })).status).toBe(412);
    expect((await api.call('u-agent', 'DELETE', `/v1/records/Leads/${id}`, { headers: { 'if-match': '"7", "1"' } })).status).toBe(204);
  });

  it('the other conditional writes (module fields, user, team tabs) refuse a weak tag with 412', async () => {
    const team = await api.call<any>('u-admin', 'GET', '/v1/team-spaces');
    const teamId = team.body.items[0].id;
    const current = await api.call<any>('u-admin', 'GET', `/v1/team-spaces/${teamId}`);
    const etag = current.headers.get('etag') as string;
    const weak = await api.call<any>('u-admin', 'PUT', `/v1/team-spaces/${teamId}/tabs`, { body: { tabs: [] }, headers: { 'if-match': `W/${etag}` } });
    expect(weak.status).toBe(412);
    const listed = await api.call<any>('u-admin', 'PUT', `/v1/team-spaces/${teamId}/tabs`, { body: { tabs: [] }, headers: { 'if-match': `"999", ${etag}` } });
    expect(listed.status).toBe(200);

    const user = await api.call<any>('u-admin', 'GET', '/v1/users/u-agent');
    const userTag = user.headers.get('etag') as string;
    expect((await api.call('u-admin', 'PATCH', '/v1/users/u-agent', { body: { name: user.body.name }, headers: { 'if-match': `W/${userTag}` } })).status).toBe(412);
  });
});
