import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { createEventRouter } from '../../../infra/local/events/router.js';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { ARRANGEMENTS_MODULE } from '../../../infra/local/seed-teams.js';
import { SEED_USERS } from '../../../infra/local/seed-users.js';
import { NEW_LEAD_WIZARD_ID } from '../../../infra/local/seed-wizards.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { BUSINESS_METRICS } from '../../../shared/adapters/business-metrics.js';
import { captureOutput, findPersonalData, type CapturedOutput } from '../../support/capture-output.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/**
 * A realistic flow of the demo (leads and contacts with emails, phones and names, patches, the New lead
 * wizard, the Update travel info kiosk with its notification emails, a team request and its
 * notification email) through the local API and the real outbox path (stream poller, router with its
 * default logging, consumers, SES local), with every byte the process logs captured: the personal data
 * it used never appears, while the ids, correlation ids and business metrics do.
 */
const token = Math.random().toString(36).slice(2, 8);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const person = {
  leadName: { firstName: `Haruto${token}`, lastName: `Sakamoto${token}` },
  leadEmail: `haruto.${token}@customer.example`,
  leadPhone: `090-${digits(4)}-${digits(4)}`,
  leadNewPhone: `+81 80 ${digits(4)} ${digits(4)}`,
  wizardName: `Mori${token}`,
  wizardEmail: `mori.${token}@example.jp`,
  wizardPhone: `(070) ${digits(4)}-${digits(4)}`,
  contactName: { firstName: `Aoi${token}`, lastName: `Kimura${token}` },
  contactEmail: `aoi.${token}@customer.example`,
  contactPhone: `080${digits(8)}`,
  changeDetails: `Moved after a family matter ${token}`,
  requestTitle: `Flights for the Fujita${token} family`,
  requestComment: `Booking seats for Mrs Fujita${token} now`,
};
const correlationId = `corr-${token}`;

let api: E2eApi;
let events: LocalEvents;
let output: CapturedOutput;

beforeAll(async () => {
  api = await startE2eApi();
  // The router with its default logging (the e2e helper silences it), as in `npm start`.
  const router = createEventRouter({ deps: api.deps, subscriptions: withoutTimers(subscriptions), consumers: [...consumers], retry: { attempts: 3, baseDelayMs: 10 } });
  events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers], router });
  output = captureOutput();
});
afterAll(async () => {
  output?.restore();
  await events?.stop();
  await api?.close();
});

const ok = <T extends { status: number; body: unknown }>(res: T, status: number): T => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
};

describe('no personal data in logs', () => {
  it('runs the demo flow and logs ids, correlation ids and metrics, never emails, phones, names or message texts', async () => {
    // Records: a lead with email, phone and names; a patch of its phone (with a correlation id); a bad input.
    const lead = ok(await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { ...person.leadName, email: person.leadEmail, phone: person.leadPhone, leadStatus: 'New' } } }), 201);
    ok(await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.body.id}`, { body: { fields: { phone: person.leadNewPhone, leadStatus: 'Contacted' } }, headers: { 'if-match': '"1"', 'x-correlation-id': correlationId } }), 200);
    ok(await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: person.leadName.lastName, email: `not-an-email ${person.leadEmail}`, phone: 'call me' } } }), 400);
    ok(await api.call<any>('u-agent', 'GET', `/v1/records/Leads/lookup?field=email&value=${encodeURIComponent(person.leadEmail)}`), 200);

    // The New lead wizard, to its end.
    const session = ok(await api.call<any>('u-agent', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`), 201).body;
    const screen = (id: string, values: Record<string, unknown>) => api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/screens/${id}`, { body: { values } });
    ok(await screen('contact-details', { lastName: person.wizardName, email: person.wizardEmail, phone: person.wizardPhone }), 200);
    ok(await screen('travel-wishes', { destinationWish: 'Hokkaido in winter', travellers: 2 }), 200);
    ok(await screen('consent', { emailConsent: true }), 200);
    ok(await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/finish`), 201);

    // The Update travel info kiosk, which emails the owner, Operations and the customer.
    const contact = ok(await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { ...person.contactName, email: person.contactEmail, phone: person.contactPhone } } }), 201);
    const tripName = `${person.contactName.lastName} — Kyoto`;
    ok(await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: tripName, contactId: contact.body.id, destination: 'Kyoto', departureDate: '2027-05-01', returnDate: '2027-05-04', stage: 'Requirements Check' } } }), 201);
    const run = ok(await api.call<any>('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`), 201).body;
    const submit = (screenId: string, values: Record<string, unknown>) => api.call<any>('u-agent', 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { body: { screenId, values } });
    const picked = ok(await submit('customer-phone', { phone: person.contactPhone }), 200);
    ok(await submit('pick-application', { application: picked.body.screen.components[0].options[0].value }), 200);
    ok(await submit('new-dates', { departureDate: '2027-06-01', returnDate: '2027-06-04', changeDetails: person.changeDetails }), 200);

    // A team request, handled by Operations: the requester is notified by email.
    const request = ok(
      await api.call<any>('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, {
        body: { fields: { title: person.requestTitle, kind: 'Flight', destination: 'Okinawa', travellers: 4, budget: 180000, neededBy: '2027-03-01' } },
      }),
      201,
    );
    ok(await api.call<any>('u-ops', 'PATCH', `/v1/requests/${request.body.id}`, { body: { status: 'In Progress', comment: person.requestComment }, headers: { 'if-match': '"1"', 'x-correlation-id': correlationId } }), 200);

    await waitFor(async () => {
      const mail = await readSentMail(sesEndpoint());
      const kiosk = mail.filter((m) => m.subject === `New travel dates: ${tripName}`);
      const requester = mail.filter((m) => m.destination.to.includes('u-requester@keiro.example') && m.subject.includes(person.requestTitle));
      return kiosk.length >= 3 && requester.length >= 1;
    }, 'the kiosk and request emails', 20_000);
    await events.router.drain();

    const logged = output.text();
    const requester = SEED_USERS.find((u) => u.id === 'u-requester')!;
    // The scanner itself finds what it looks for, in any format (a control, so that "no hits" means something).
    expect(findPersonalData(`x ${person.leadPhone.replace(/-/g, ' ')} ${person.leadEmail.toUpperCase()}`, { emails: [person.leadEmail], phones: [person.leadPhone], texts: [] })).toHaveLength(2);
    const found = findPersonalData(logged, {
      emails: [person.leadEmail, person.wizardEmail, person.contactEmail, requester.email],
      phones: [person.leadPhone, person.leadNewPhone, person.wizardPhone, person.contactPhone],
      texts: [...Object.values(person.leadName), person.wizardName, ...Object.values(person.contactName), requester.name, person.changeDetails, person.requestTitle, person.requestComment, 'Fujita'],
    });
    expect(found).toEqual([]);

    // …and it did log: a line per request and per event handling, with their correlation ids, and EMF metric lines.
    const lines = output.json();
    const handled = lines.filter((l) => l.message === 'Request handled');
    expect(handled.length).toBeGreaterThan(15);
    expect(handled.every((l) => typeof l.correlationId === 'string' && typeof l.routeKey === 'string' && typeof l.status === 'number')).toBe(true);
    expect(handled.find((l) => l.routeKey === 'PATCH /v1/requests/{id}')).toMatchObject({ correlationId, status: 200, userId: 'u-ops' });
    const consumed = lines.filter((l) => l.message === 'Event handled');
    expect(consumed.find((l) => l.handler === 'consumer:notify-requester')).toMatchObject({ correlationId, detailType: 'request.status-changed' });
    expect(consumed.some((l) => l.handler === 'consumer:kiosk-notify')).toBe(true);
    const metrics = lines.filter((l) => l._aws?.CloudWatchMetrics?.[0]?.Namespace === 'Keiro');
    const names = new Set(metrics.flatMap((l) => l._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)));
    for (const name of ['RecordsCreated', 'RecordsUpdated', 'WizardSessionsFinished', 'KioskRunsCompleted', 'RequestsSubmitted', 'EmailsSent'] as const) {
      expect(names.has(name), name).toBe(true);
      expect(BUSINESS_METRICS[name]).toBeTruthy();
    }
    expect(metrics.find((l) => l.RecordsUpdated === 1 && l.correlationId === correlationId)).toMatchObject({ module: 'Leads' });
    expect(metrics.filter((l) => l.EmailsSent === 1 && l.sender === 'consumer:kiosk-notify')).toHaveLength(3);
  });
});
