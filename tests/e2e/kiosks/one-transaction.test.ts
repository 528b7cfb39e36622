import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * A kiosk step writes all or nothing: its record writes, notifications and the run itself go in one
 * transaction, so a step that fails half-way, or loses a race with a second submit of the same run,
 * leaves no trace; a step that writes one record twice still works (written in two transactions).
 */
describe('a kiosk step writes all or nothing', () => {
  let api: E2eApi;
  const token = Math.random().toString(36).slice(2, 8);
  let moveAndTell = '';
  let moveTwice = '';
  let findAndDecide = '';

  const define = async (name: string, nodes: unknown[]) => {
    const res = await api.call<any>('u-admin', 'POST', '/v1/kiosks', { body: { name: `${name} ${token}`, runners: { orgRoles: ['member'] }, start: 'ask', nodes } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const ask = { kind: 'screen', id: 'ask', title: 'Which trip?', components: [{ kind: 'input', id: 'trip', type: 'text', label: 'Trip id', required: true }, { kind: 'input', id: 'departure', type: 'date', label: 'Departure', required: true }, { kind: 'input', id: 'tell', type: 'text', label: 'Tell whom' }], next: 'move' };
  const move = (next: string) => ({ kind: 'action', id: 'move', action: { type: 'updateRecord', module: 'TravelApplications', id: { ref: 'values.trip' }, fields: { departureDate: { ref: 'values.departure' } } }, next });
  const done = { kind: 'end', id: 'done', title: 'Moved', message: 'Moved to {{values.departure}}.' };

  beforeAll(async () => {
    api = await startE2eApi();
    moveAndTell = await define('Move and tell', [ask, move('tell'), { kind: 'action', id: 'tell', action: { type: 'notify', channels: ['inApp'], to: [{ kind: 'user', userId: { ref: 'values.tell' } }], subject: 'Moved', message: 'Moved' }, next: 'done' }, done]);
    findAndDecide = await define('Find and decide', [
      { kind: 'screen', id: 'ask', title: 'Which contact?', components: [{ kind: 'input', id: 'contact', type: 'text', label: 'Contact id', required: true }], next: 'find' },
      { kind: 'action', id: 'find', action: { type: 'findRecords', module: 'TravelApplications', where: { contactId: { ref: 'values.contact' } } }, next: 'where' },
      { kind: 'decision', id: 'where', branches: [{ when: { all: [{ field: 'results.find.records.0.fields.destination', op: 'eq', value: `Nara ${token}` }] }, next: 'nara' }], otherwise: 'other' },
      { kind: 'end', id: 'nara', title: 'Nara', message: '{{results.find.count}} found' },
      { kind: 'end', id: 'other', title: 'Elsewhere', message: '{{results.find.count}} found' },
    ]);
    moveTwice = await define('Move twice', [ask, move('stretch'), { kind: 'action', id: 'stretch', action: { type: 'updateRecord', module: 'TravelApplications', id: { ref: 'values.trip' }, fields: { returnDate: '2027-12-31' } }, next: 'done' }, done]);
  });
  afterAll(async () => api?.close());

  const newTrip = async () => {
    const res = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `Trip ${token}`, contactId: '01JDEMOCON0000000000000001', destination: 'Nara', departureDate: '2027-05-01', returnDate: '2027-05-04' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; version: number };
  };
  const start = async (kioskId: string) => (await api.call<any>('u-agent', 'POST', `/v1/kiosks/${kioskId}/runs`)).body.runId as string;
  const submit = (runId: string, values: Record<string, unknown>) => api.call<any>('u-agent', 'POST', `/v1/kiosk-runs/${runId}/submit`, { body: { screenId: 'ask', values } });
  const trip = async (id: string) => (await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${id}`)).body;
  const kioskUpdates = async (id: string) => (await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${id}/history?limit=100`)).body.items.filter((h: any) => h.event === 'record.updated' && h.via === 'kiosk');

  it('a step whose last action fails writes nothing: the record is as it was and the run waits on its screen', async () => {
    const { id, version } = await newTrip();
    const runId = await start(moveAndTell);
    const failed = await submit(runId, { trip: id, departure: '2027-06-01', tell: 'u-nobody-here' });
    expect(failed.status).toBe(422);
    expect(await trip(id)).toMatchObject({ version, fields: { departureDate: '2027-05-01' } });
    expect(await kioskUpdates(id)).toEqual([]);
    expect((await api.call<any>('u-agent', 'GET', `/v1/kiosk-runs/${runId}`)).body.screen.id).toBe('ask');

    const done = await submit(runId, { trip: id, departure: '2027-06-01', tell: 'u-ops' });
    expect(done.status).toBe(200);
    expect(await trip(id)).toMatchObject({ version: version + 1, fields: { departureDate: '2027-06-01' } });
  });

  it('two submits of one run at once: one wins, the other gets 409 and changed nothing', async () => {
    const { id, version } = await newTrip();
    const runId = await start(moveAndTell);
    const answers = await Promise.all(['2027-07-01', '2027-08-01'].map((departure) => submit(runId, { trip: id, departure, tell: 'u-ops' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.result.message as string;
    const record = await trip(id);
    expect(winner).toBe(`Moved to ${record.fields.departureDate}.`);
    expect(record.version).toBe(version + 1);
    expect(await kioskUpdates(id)).toHaveLength(1);
  });

  it('runs on one record at once: each step that lost the race is run again on the record as it now is, so no change is lost', async () => {
    const { id, version } = await newTrip();
    const departures = ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04'];
    const runs = await Promise.all(departures.map(() => start(moveAndTell)));
    const answers = await Promise.all(runs.map((runId, i) => submit(runId, { trip: id, departure: departures[i], tell: 'u-ops' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const record = await trip(id);
    expect(record.version).toBe(version + 4);
    const updates = await kioskUpdates(id);
    expect(updates).toHaveLength(4);
    expect(updates.map((u: any) => u.changes.find((c: any) => c.field === 'departureDate').new).sort()).toEqual(departures);
  });

  it('a decision on a found record\'s field sees the record (found records are read before what uses them)', async () => {
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: `Finder ${token}` } } });
    expect(contact.status).toBe(201);
    const runs = [await start(findAndDecide), await start(findAndDecide)];
    const before = await submit(runs[0]!, { contact: contact.body.id });
    expect(before.body.result).toEqual({ title: 'Elsewhere', message: '0 found' });
    const made = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `Trip ${token}`, contactId: contact.body.id, destination: `Nara ${token}` } } });
    expect(made.status).toBe(201);
    const after = await submit(runs[1]!, { contact: contact.body.id });
    expect(after.body.result).toEqual({ title: 'Nara', message: '1 found' });
  });

  it('a step that writes one record twice applies both changes (two transactions, never one touching the record twice)', async () => {
    const { id, version } = await newTrip();
    const res = await submit(await start(moveTwice), { trip: id, departure: '2027-09-01' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await trip(id)).toMatchObject({ version: version + 2, fields: { departureDate: '2027-09-01', returnDate: '2027-12-31' } });
    expect(await kioskUpdates(id)).toHaveLength(2);
  });
});
