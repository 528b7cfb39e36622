import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeJourneyEvent } from '../../../functions/journeys/run-instances.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const small = (name: string) => ({
  name,
  modules: ['Leads'],
  initial: 'new',
  states: [{ id: 'new', name: 'New' }, { id: 'won', name: 'Won', onEnter: [{ type: 'createTask', subject: 'Celebrate', assignee: { kind: 'owner' } }] }],
  transitions: [{ id: 'win', from: ['new'], to: 'won', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Qualified' } }],
});

describe('journey definitions over HTTP', () => {
  it('a record created before the journey was activated does not enter it, however late its event arrives', async () => {
    const created = await api.call<any>('u-admin', 'POST', '/v1/journeys', { body: small(`Late events ${Date.now()}`) });
    const before = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Before' } } });
    expect((await api.call<any>('u-admin', 'POST', `/v1/journeys/${created.body.id}/activate`)).status).toBe(200);
    const after = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'After' } } });
    // The router sees both creations only now (a stream backlog), in any order.
    for (const lead of [after.body, before.body]) {
      await routeJourneyEvent(api.deps, {
        eventId: `late-${lead.id}`,
        event: { kind: 'record.created', module: 'Leads', fields: lead.fields, at: lead.createdAt },
        candidates: [lead.id],
        record: { module: 'Leads', id: lead.id, fields: lead.fields },
        ctx: { actor: 'u-agent', via: 'api', correlationId: `late-${lead.id}` },
      });
    }
    const journeysOf = async (id: string) => ((await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${id}/journeys`)).body.items as any[]).filter((j) => j.journeyId === created.body.id);
    expect(await journeysOf(before.body.id)).toEqual([]);
    expect((await journeysOf(after.body.id)).map((j) => j.state)).toEqual(['new']);
  });

  it('creates (org admin only), versions, activates and deactivates a journey', async () => {
    expect((await api.call<any>('u-agent', 'POST', '/v1/journeys', { body: small('Agent journey') })).status).toBe(403);
    expect((await api.call<any>('u-requester', 'GET', '/v1/journeys')).status).toBe(404);
    const created = await api.call<any>('u-admin', 'POST', '/v1/journeys', { body: small('Small journey') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Small journey', version: 1, active: false });
    const id = created.body.id;
    const activated = await api.call<any>('u-admin', 'POST', `/v1/journeys/${id}/activate`);
    expect(activated.body).toMatchObject({ active: true, activeVersion: 1 });
    const v2 = await api.call<any>('u-admin', 'PUT', `/v1/journeys/${id}`, { body: { ...small('Small journey'), description: 'v2' }, headers: { 'if-match': '"1"' } });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, active: true, activeVersion: 2 });
    expect(v2.headers.get('etag')).toBe('"2"');
    const stale = await api.call<any>('u-admin', 'PUT', `/v1/journeys/${id}`, { body: small('Small journey'), headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await api.call<any>('u-agent', 'GET', `/v1/journeys/${id}`)).body).toMatchObject({ version: 2, definition: { description: 'v2' } });
    expect((await api.call<any>('u-agent', 'POST', `/v1/journeys/${id}/deactivate`)).status).toBe(403);
    const off = await api.call<any>('u-admin', 'POST', `/v1/journeys/${id}/deactivate`);
    expect(off.body.active).toBe(false);
    expect((await api.call<any>('u-agent', 'GET', '/v1/journeys/NOPE')).status).toBe(404);
  });

  it('refuses a bad definition with 400 naming each fault', async () => {
    const bad = await api.call<any>('u-admin', 'POST', '/v1/journeys', {
      body: {
        ...small('Bad journey'),
        states: [{ id: 'new', name: 'New' }, { id: 'won', name: 'Won' }, { id: 'island', name: 'Island' }],
        transitions: [
          { id: 'win', from: ['new'], to: 'won', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Dreaming' } },
          { id: 'deal', from: ['won'], to: 'nowhere', trigger: { type: 'dealStageChanged' } },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['transitions.0.trigger.to', 'transitions.1.to', 'transitions.1.trigger']));
    const schema = await api.call<any>('u-admin', 'POST', '/v1/journeys', { body: { name: 'x', modules: [], states: [], transitions: [] } });
    expect(schema.status).toBe(400);
    expect((await api.call<any>('u-admin', 'POST', '/v1/journeys', { body: TRAVEL_CUSTOMER_JOURNEY })).status).toBe(201);
  });

  it('validates report and paths queries, and a manual move to an unknown state, with 400', async () => {
    const [demo] = (await api.call<any>('u-agent', 'GET', '/v1/journeys')).body.items.filter((j: any) => j.name === 'Travel customer journey' && j.active);
    expect((await api.call<any>('u-agent', 'GET', `/v1/journeys/${demo.id}/report?from=2027-02-30`)).status).toBe(400);
    expect((await api.call<any>('u-agent', 'GET', `/v1/journeys/${demo.id}/report?from=2027-03-02&to=2027-03-01`)).status).toBe(400);
    const goal = await api.call<any>('u-agent', 'GET', `/v1/journeys/${demo.id}/paths?goal=nowhere`);
    expect(goal.status).toBe(400);
    expect(goal.body.errors[0].path).toBe('goal');
    const empty = await api.call<any>('u-agent', 'GET', `/v1/journeys/${demo.id}/report?from=2001-01-01&to=2001-01-31`);
    expect(empty.status).toBe(200);
    expect(empty.body.states.every((s: any) => s.entered === 0 && s.medianMs === null)).toBe(true);
    expect((await api.call<any>('u-agent', 'POST', `/v1/journeys/${demo.id}/instances/NOPE/move`, { body: { to: 'promoter' } })).status).toBe(404);
    expect((await api.call<any>('u-requester', 'GET', `/v1/journeys/${demo.id}/report`)).status).toBe(404);
  });
});
