import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { UPDATE_TRAVEL_INFO_KIOSK, UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/**
 * The scenario's step 5 over HTTP, as a front-end drives it, with the real outbox path for the
 * notifications: DynamoDB stream → poller → router → kiosk-notify → SES local and in-app.
 */
describe('the Update travel info kiosk', () => {
  let api: E2eApi;
  let events: LocalEvents;
  const token = Math.random().toString(36).slice(2, 8);
  let contactId = '';
  let tripId = '';
  let loneContactId = '';
  const phoneDigits = `090${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { firstName: 'Aoi', lastName: `Kimura ${token}`, phone: phoneDigits, email: `aoi.${token}@customer.example` } } });
    contactId = contact.body.id;
    const trip = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `Kimura ${token} — Kyoto`, contactId, destination: 'Kyoto', departureDate: '2027-05-01', returnDate: '2027-05-04', stage: 'Requirements Check' } } });
    tripId = trip.body.id;
    const lone = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: `Lone ${token}`, phone: '+81 3 5555 0199' } } });
    loneContactId = lone.body.id;
    expect([contactId, tripId, loneContactId].every(Boolean)).toBe(true);
  });
  afterAll(async () => {
    await events?.stop();
    await api?.close();
  });

  const start = async (userId = 'u-agent') => {
    const res = await api.call<any>(userId, 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
    expect(res.status).toBe(201);
    return res.body;
  };
  const submit = (runId: string, screenId: string, values: Record<string, unknown>, userId = 'u-agent') => api.call<any>(userId, 'POST', `/v1/kiosk-runs/${runId}/submit`, { body: { screenId, values } });

  it('finds the customer by a phone typed in any common format', async () => {
    const local = `${phoneDigits.slice(0, 3)}-${phoneDigits.slice(3, 7)}-${phoneDigits.slice(7)}`;
    for (const typed of [phoneDigits, local, `+81 ${phoneDigits.slice(1, 3)} ${phoneDigits.slice(3, 7)} ${phoneDigits.slice(7)}`, `(${phoneDigits.slice(0, 3)}) ${phoneDigits.slice(3)}`]) {
      const run = await start();
      const next = await submit(run.runId, 'customer-phone', { phone: typed });
      expect(next.status, typed).toBe(200);
      expect(next.body.screen.id, typed).toBe('pick-application');
      expect(next.body.screen.components[0].options, typed).toEqual([{ value: tripId, label: `Kimura ${token} — Kyoto: Kyoto, 2027-05-01 → 2027-05-04` }]);
    }
  });

  it('offers the trips of every contact a phone finds (a family sharing one number), the first-made contact\'s first', async () => {
    const shared = `080${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const trips: string[] = [];
    // Contact ids are ULIDs: made one after another, the phone's index lists them in this order.
    for (const name of ['Parent', 'Child']) {
      const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: `${name} ${token}`, phone: shared } } });
      expect(contact.status).toBe(201);
      const trip = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `${name} ${token} — Nara`, contactId: contact.body.id, destination: 'Nara', departureDate: '2027-08-01', returnDate: '2027-08-03', stage: 'Requirements Check' } } });
      expect(trip.status).toBe(201);
      trips.push(trip.body.id);
      await new Promise((r) => setTimeout(r, 2)); // the next ULID in a later millisecond
    }
    const run = await start();
    const next = await submit(run.runId, 'customer-phone', { phone: shared });
    expect(next.status).toBe(200);
    expect(next.body.screen.components[0].options.map((o: any) => o.value)).toEqual(trips);
  });

  it('changes the dates, notifies the owner, Operations and the customer, and the history shows the kiosk', async () => {
    const run = await start();
    expect(run.screen).toMatchObject({ id: 'customer-phone', components: [{ id: 'phone', kind: 'input', type: 'phone', required: true }] });
    const picked = await submit(run.runId, 'customer-phone', { phone: phoneDigits });
    const wrong = await submit(run.runId, 'new-dates', { changeDetails: 'x' });
    expect(wrong.status).toBe(409);
    const notOffered = await submit(run.runId, 'pick-application', { application: '01JDEMOTRA0000000000000001' });
    expect(notOffered.status).toBe(400);
    expect(notOffered.body.errors).toEqual([{ path: 'values.application', message: 'Not one of the options' }]);
    const dates = await submit(run.runId, 'pick-application', { application: picked.body.screen.components[0].options[0].value });
    expect(dates.status).toBe(200);
    expect(dates.body.screen.components.map((c: any) => [c.id, c.value ?? c.text])).toEqual([
      ['currentDates', `Kimura ${token} — Kyoto: 2027-05-01 → 2027-05-04`],
      ['departureDate', '2027-05-01'],
      ['returnDate', '2027-05-04'],
      ['changeDetails', undefined],
    ]);
    const badDate = await submit(run.runId, 'new-dates', { departureDate: '2027-02-30', returnDate: '2027-06-04', changeDetails: 'Later' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors.map((e: any) => e.path)).toEqual(['values.departureDate']);

    const done = await submit(run.runId, 'new-dates', { departureDate: '2027-06-01', returnDate: '2027-06-04', changeDetails: 'The customer moved the trip by a month' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ done: true, result: { title: 'Dates changed' } });
    const again = await submit(run.runId, 'new-dates', { departureDate: '2027-06-01', returnDate: '2027-06-04', changeDetails: 'x' });
    expect(again.status).toBe(409);

    const trip = await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}`);
    expect(trip.body.fields).toMatchObject({ departureDate: '2027-06-01', returnDate: '2027-06-04', changeDetails: 'The customer moved the trip by a month' });
    const history = await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}/history`);
    expect(history.body.items[0]).toMatchObject({ event: 'record.updated', actor: 'u-agent', via: 'kiosk', reason: 'Kiosk "Update travel info"' });

    const subject = `New travel dates: Kimura ${token} — Kyoto`;
    const mail = await waitFor(async () => {
      const sent = (await readSentMail(sesEndpoint())).filter((m) => m.subject === subject);
      return sent.length >= 3 ? sent : undefined;
    }, 'the three emails');
    const to = mail.flatMap((m) => m.destination.to).sort();
    expect(to).toEqual([`aoi.${token}@customer.example`, 'u-agent@keiro.example', 'u-ops@keiro.example']);
    const inApp = await waitFor(async () => {
      const list = await api.call<any>('u-ops', 'GET', '/v1/notifications');
      return list.body.items.find((n: any) => n.title === subject);
    }, 'the in-app notification for Operations');
    expect(inApp.body).toContain('2027-06-01');
    expect((await api.call<any>('u-agent', 'GET', '/v1/notifications')).body.items.some((n: any) => n.title === subject)).toBe(true);
    await events.router.drain();
    expect((await readSentMail(sesEndpoint())).filter((m) => m.subject === subject)).toHaveLength(3);
  });

  it('gives a clear screen, not an error, to a customer with no travel applications, and to an unknown phone', async () => {
    const run = await start();
    const none = await submit(run.runId, 'customer-phone', { phone: '03-5555-0199' });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ done: true, result: { title: 'No travel applications' } });
    expect(none.body.result.message).toContain(`Lone ${token}`);
    const unknown = await submit((await start()).runId, 'customer-phone', { phone: '+1 415 555 0100' });
    expect(unknown.body).toMatchObject({ done: true, result: { title: 'No customer found' } });
  });

  it("keeps a run to its user (404 for anyone else) and refuses those the definition does not name", async () => {
    const run = await start('u-agent');
    for (const other of ['u-manager', 'u-admin', 'u-requester']) {
      expect((await api.call<any>(other, 'GET', `/v1/kiosk-runs/${run.runId}`)).status, other).toBe(404);
      expect((await submit(run.runId, 'customer-phone', { phone: phoneDigits }, other)).status, other).toBe(404);
    }
    expect((await api.call<any>('u-requester', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`)).status).toBe(404);
    expect((await api.call<any>('u-requester', 'GET', '/v1/kiosks')).body.items).toEqual([]);
    expect((await api.call<any>('u-agent', 'GET', '/v1/kiosks')).body.items.map((k: any) => k.name)).toContain('Update travel info');
  });

  it('refuses an invalid definition at save with its path, and lets only org admins define kiosks', async () => {
    const bad = { ...UPDATE_TRAVEL_INFO_KIOSK, nodes: UPDATE_TRAVEL_INFO_KIOSK.nodes.map((n) => (n.id === 'find-customer' && n.kind === 'action' ? { ...n, next: 'nowhere' } : n)) };
    const res = await api.call<any>('u-admin', 'POST', '/v1/kiosks', { body: bad });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'nodes.1.next', message: 'No node nowhere' });
    expect((await api.call<any>('u-agent', 'POST', '/v1/kiosks', { body: UPDATE_TRAVEL_INFO_KIOSK })).status).toBe(403);
    expect((await api.call<any>('u-admin', 'POST', '/v1/kiosks', { body: { ...UPDATE_TRAVEL_INFO_KIOSK, name: 'Copy' } })).status).toBe(201);
  });
});
