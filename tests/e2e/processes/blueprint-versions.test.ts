import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** Publishing creates versions; records in flight keep theirs; an explicit migration moves them with a state mapping. */
describe('blueprint versions and migration (e2e)', () => {
  let api: E2eApi;
  let id: string;
  beforeAll(async () => {
    api = await startE2eApi();
    const mod = await api.call('u-admin', 'POST', '/v1/modules', {
      body: { name: 'VisaCases', label: 'Visa cases', fields: [{ name: 'name', label: 'Name', type: 'text', required: true }, { name: 'status', label: 'Status', type: 'picklist', options: ['Open', 'Pending', 'Closed'] }] },
    });
    expect(mod.status).toBe(201);
  });
  afterAll(() => api?.close());

  const v1 = { name: 'Visa case', module: 'VisaCases', field: 'status', initialState: 'Open', states: ['Open', 'Closed'], transitions: [{ id: 'close', name: 'Close', from: 'Open', to: 'Closed', before: { who: [{ kind: 'owner' }] } }] };
  const v2 = {
    ...v1,
    initialState: 'Pending',
    states: ['Pending', 'Closed'],
    transitions: [{ id: 'decide', name: 'Decide', from: 'Pending', to: 'Closed', before: { who: [{ kind: 'owner' }] }, during: { note: 'required' } }],
  };
  const create = async (name: string) => (await api.call('u-agent', 'POST', '/v1/records/VisaCases', { body: { fields: { name } } })).body;
  const offers = async (recordId: string) => (await api.call('u-agent', 'GET', `/v1/records/VisaCases/${recordId}/transitions`)).body;

  it('a draft governs nothing; publish makes version 1; a second blueprint on the module is a 409', async () => {
    const created = await api.call('u-admin', 'POST', '/v1/blueprints', { body: v1 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ revision: 1, publishedVersion: 0 });
    id = created.body.id;
    expect((await create('Before publish')).fields.status).toBeUndefined();
    const published = await api.call('u-admin', 'POST', `/v1/blueprints/${id}/publish`, { headers: { 'if-match': '"1"' } });
    expect(published.body).toMatchObject({ publishedVersion: 1 });
    const other = await api.call('u-admin', 'POST', '/v1/blueprints', { body: { ...v1, name: 'Another' } });
    expect((await api.call('u-admin', 'POST', `/v1/blueprints/${other.body.id}/publish`)).status).toBe(409);
  });

  it('records in flight keep their version after a new one is published; migration maps their states', async () => {
    const old = await create('On version 1');
    expect(old.fields.status).toBe('Open');
    const put = await api.call('u-admin', 'PUT', `/v1/blueprints/${id}`, { body: v2, headers: { 'if-match': '"2"' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await api.call('u-admin', 'PUT', `/v1/blueprints/${id}`, { body: v2, headers: { 'if-match': '"2"' } })).status).toBe(412);
    expect((await api.call('u-admin', 'POST', `/v1/blueprints/${id}/publish`)).body.publishedVersion).toBe(2);
    const fresh = await create('On version 2');
    expect(fresh.fields.status).toBe('Pending');
    expect(await offers(old.id)).toMatchObject({ blueprintVersion: 1, items: [{ id: 'close' }] });
    expect(await offers(fresh.id)).toMatchObject({ blueprintVersion: 2, items: [{ id: 'decide' }] });

    const badMap = await api.call('u-admin', 'POST', `/v1/blueprints/${id}/migrations`, { body: { stateMapping: { Open: 'Nowhere' } } });
    expect(badMap.status).toBe(400);
    expect(badMap.body.errors).toEqual([expect.objectContaining({ path: 'stateMapping.Open' })]);
    expect((await api.call('u-agent', 'POST', `/v1/blueprints/${id}/migrations`, { body: {} })).status).toBe(403);
    const unmapped = await api.call('u-admin', 'POST', `/v1/blueprints/${id}/migrations`, { body: {} });
    expect(unmapped.body.skipped).toEqual(expect.arrayContaining([{ recordId: old.id, reason: expect.stringContaining('Open') }]));
    const migrated = await api.call('u-admin', 'POST', `/v1/blueprints/${id}/migrations`, { body: { stateMapping: { Open: 'Pending' } } });
    expect(migrated.body.migrated).toEqual(expect.arrayContaining([{ recordId: old.id, fromVersion: 1, from: 'Open', to: 'Pending' }]));
    expect(await offers(old.id)).toMatchObject({ blueprintVersion: 2, state: 'Pending', items: [{ id: 'decide' }] });
    const [entry] = (await api.call('u-agent', 'GET', `/v1/records/VisaCases/${old.id}/history`)).body.items;
    expect(entry).toMatchObject({ actor: 'u-admin', reason: expect.stringContaining('Migrated to version 2'), changes: [{ field: 'status', old: 'Open', new: 'Pending' }] });
  });
});
