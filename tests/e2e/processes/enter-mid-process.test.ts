import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

const CONTACT = '01JDEMOCON0000000000000001';

/**
 * A record that enters a blueprint mid-process through an edit (it comes to match the entry criteria)
 * keeps the state it has, as Zoho does; only a value that is no state of the blueprint starts it over.
 */
describe('entering a blueprint through an edit (e2e)', () => {
  let api: E2eApi;
  const newCase = async (fields: Record<string, unknown>) => {
    const created = await api.call('u-agent', 'POST', '/v1/records/Cases', { body: { fields: { subject: 'Mid-process', contactId: CONTACT, ...fields } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; fields: Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await startE2eApi();
    const blueprint = await api.call('u-admin', 'POST', '/v1/blueprints', {
      body: {
        name: 'Urgent cases',
        module: 'Cases',
        field: 'status',
        entryCriteria: { all: [{ field: 'priority', op: 'eq', value: 'High' }] },
        initialState: 'Open',
        states: ['Open', 'Escalated', 'Closed'],
        transitions: [
          { id: 'escalate', name: 'Escalate', from: 'Open', to: 'Escalated', before: { who: [{ kind: 'owner' }] }, after: [] },
          { id: 'close', name: 'Close', from: 'Escalated', to: 'Closed', before: { who: [{ kind: 'owner' }] }, after: [] },
        ],
      },
    });
    expect(blueprint.status, JSON.stringify(blueprint.body)).toBe(201);
    expect((await api.call('u-admin', 'POST', `/v1/blueprints/${blueprint.body.id}/publish`)).status).toBe(200);
  });
  afterAll(() => api?.close());

  it('keeps its state and goes on from there: the transitions out of that state are offered', async () => {
    const kase = await newCase({ priority: 'Low', status: 'Escalated' });
    expect(kase.fields.status).toBe('Escalated');
    const edited = await api.call('u-agent', 'PATCH', `/v1/records/Cases/${kase.id}`, { body: { fields: { priority: 'High' } } });
    expect(edited.status).toBe(200);
    expect(edited.body.fields).toMatchObject({ priority: 'High', status: 'Escalated' });
    const offered = await api.call('u-agent', 'GET', `/v1/records/Cases/${kase.id}/transitions`);
    expect(offered.body.items.map((t: { id: string }) => t.id)).toEqual(['close']);
    // From now on the blueprint governs the field.
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Cases/${kase.id}`, { body: { fields: { status: 'Open' } } })).status).toBe(422);
    const closed = await api.call('u-agent', 'POST', `/v1/records/Cases/${kase.id}/transitions/close`, { body: {} });
    expect(closed.body.fields.status).toBe('Closed');
  });

  it('a record with no state of the blueprint starts in the initial state', async () => {
    const kase = await newCase({ priority: 'Low' });
    const edited = await api.call('u-agent', 'PATCH', `/v1/records/Cases/${kase.id}`, { body: { fields: { priority: 'High' } } });
    expect(edited.body.fields).toMatchObject({ priority: 'High', status: 'Open' });
  });
});
