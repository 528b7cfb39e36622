import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { DEMO_JOURNEY_ID } from '../../../infra/local/seed-journeys.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

let api: E2eApi;
let events: LocalEvents;
beforeAll(async () => {
  api = await startE2eApi();
  // The journey's own subscriptions, through the real outbox path: stream poller → router → consumers.
  const mine = subscriptions.filter((s) => s.id.startsWith('journey-'));
  events = startLocalEvents(api.deps, { subscriptions: mine, consumers: [...consumers] });
});
afterAll(async () => {
  await events?.stop();
  await api?.close();
});

const journeysOf = async (module: string, id: string) => (await api.call<any>('u-agent', 'GET', `/v1/records/${module}/${id}/journeys`)).body.items as any[];
const inState = (module: string, id: string, state: string) =>
  waitFor(async () => {
    const [instance] = await journeysOf(module, id);
    return instance?.state === state ? instance : undefined;
  }, `${module} ${id} in ${state}`, 20_000);
/** What each person sees as their work: GET /v1/tasks?assignee=me, as that person. */
const openTasks = async (userId: string, subject: string) =>
  (await api.call<any>(userId, 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.filter((t: any) => t.subject === subject);

describe('the Travel customer journey, end to end over HTTP and the local event path', () => {
  it('qualifies, converts, creates the travel application, follows the customer to the contact, escalates a High case and emails the customer', async () => {
    const journeys = await api.call<any>('u-agent', 'GET', '/v1/journeys');
    const demo = journeys.body.items.find((j: any) => j.name === 'Travel customer journey');
    expect(demo).toMatchObject({ id: DEMO_JOURNEY_ID, active: true, version: 1 });

    const lead = (await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Mika', lastName: 'Honda', email: 'mika.honda@example.jp', company: 'Honda Tours', leadStatus: 'New' } } })).body;
    const started = await inState('Leads', lead.id, 'lead');
    expect(started.journeyName).toBe('Travel customer journey');
    await waitFor(async () => (await openTasks('u-agent', 'Contact the new lead')).some((t: any) => t.relatedId === lead.id && t.dueDate), 'the owner’s task for the new lead');

    // Qualified → converted (contact and account) → a travel application for the contact.
    expect((await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { leadStatus: 'Qualified' } } })).status).toBe(200);
    const customer = await inState('Leads', lead.id, 'customer');
    expect(customer.history.map((h: any) => h.state)).toEqual(['lead', 'prospect', 'customer']);
    expect(customer.history[1].reason).toBe('Leads.leadStatus became Qualified');
    expect(customer.history[2].reason).toBe('Lead converted');
    const convertedLead = (await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`)).body;
    expect(convertedLead.fields.converted).toBe(true);
    const leadHistory = (await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}/history`)).body.items;
    const conversion = leadHistory.find((h: any) => h.event === 'lead.converted');
    expect(conversion).toMatchObject({ via: 'journey', automation: { kind: 'journey', id: DEMO_JOURNEY_ID } });
    const contacts = (await api.call<any>('u-agent', 'GET', '/v1/records/Contacts/lookup?field=email&value=mika.honda%40example.jp')).body.items;
    expect(contacts).toHaveLength(1);
    const contact = contacts[0];
    expect(contact.fields.accountId).toEqual(expect.any(String));

    // The same instance, seen from the contact.
    const fromContact = await journeysOf('Contacts', contact.id);
    expect(fromContact).toHaveLength(1);
    expect(fromContact[0].instanceId).toBe(customer.instanceId);

    const applications = await waitFor(async () => {
      const items = (await api.call<any>('u-agent', 'GET', `/v1/records/Contacts/${contact.id}/related/TravelApplications`)).body.items;
      return items.length > 0 ? items : undefined;
    }, 'the travel application');
    expect(applications).toHaveLength(1);
    expect(applications[0]).toMatchObject({ ownerId: 'u-agent', fields: { contactId: contact.id, stage: 'Requirements Check', name: 'Mika Honda' } });
    await waitFor(async () => (await openTasks('u-agent', 'Start the travel application')).some((t: any) => t.relatedId === contact.id), 'the task to start the application');

    // A High-priority case of the contact: escalated to the owner's manager, customer emailed.
    const kase = (await api.call<any>('u-agent', 'POST', '/v1/records/Cases', { body: { fields: { subject: 'Lost passport before departure', contactId: contact.id, priority: 'High', status: 'Open' } } })).body;
    const escalated = await inState('Contacts', contact.id, 'escalated');
    expect(escalated.history.at(-1).reason).toBe('Cases created');
    const updatedCase = await waitFor(async () => {
      const c = (await api.call<any>('u-agent', 'GET', `/v1/records/Cases/${kase.id}`)).body;
      return c.fields.status === 'Escalated' ? c : undefined;
    }, 'the escalated case');
    expect(updatedCase.ownerId).toBe('u-manager');
    const mail = await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.destination.to.includes('mika.honda@example.jp') && m.subject === 'We are escalating your inquiry'), 'the escalation email');
    expect(mail.body.text ?? JSON.stringify(mail)).toContain('Dear Mika Honda');

    expect((await openTasks('u-manager', 'Contact the new lead')).filter((t: any) => t.relatedId === lead.id)).toEqual([]);

    // A Low-priority case does not move it.
    await api.call<any>('u-agent', 'POST', '/v1/records/Cases', { body: { fields: { subject: 'Seat preference', contactId: contact.id, priority: 'Low' } } });

    // Closing the case brings the customer back; the report and paths count it all.
    await api.call<any>('u-manager', 'PATCH', `/v1/records/Cases/${kase.id}`, { body: { fields: { status: 'Closed' } } });
    await inState('Contacts', contact.id, 'customer');
    const report = (await api.call<any>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/report`)).body;
    const byState = Object.fromEntries(report.states.map((s: any) => [s.state, s]));
    expect(byState.customer).toMatchObject({ now: 1, entered: 2, exited: 1 });
    expect(byState.escalated).toMatchObject({ now: 0, entered: 1, exited: 1 });
    // (The seeded leads entered too: the poller reads the stream from its start.)
    expect(report.transitions).toEqual(expect.arrayContaining([{ from: 'lead', fromName: 'Lead', to: 'prospect', toName: 'Prospect', count: 1, conversionRate: 1 / byState.lead.entered }]));
    const paths = (await api.call<any>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/paths`)).body;
    expect(paths.goal).toBe('promoter');
    expect(paths.paths).toEqual(expect.arrayContaining([{ states: ['lead', 'prospect', 'customer', 'escalated', 'customer'], count: 1, reachedGoal: 0, goalConversion: 0 }]));

    // A person moves it by hand to the goal.
    const moved = await api.call<any>('u-agent', 'POST', `/v1/journeys/${DEMO_JOURNEY_ID}/instances/${customer.instanceId}/move`, { body: { to: 'promoter', reason: 'Posted a glowing review' } });
    expect(moved.status).toBe(200);
    expect(moved.body.history.at(-1)).toMatchObject({ state: 'promoter', reason: 'Moved by hand: Posted a glowing review' });
    const svg = await api.call<string>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/paths.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.body).toMatch(/^<svg /);
    expect(svg.body).toContain('data-state="promoter"');
    expect(svg.body).toContain('markerUnits="userSpaceOnUse"');
    expect(svg.body).not.toContain('stroke-dasharray');
    const everyMove = await api.call<string>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/paths.svg?untravelled=show`);
    expect(everyMove.status).toBe(200);
    expect(everyMove.body).toContain('stroke-dasharray');
    const bad = await api.call<any>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/paths.svg?untravelled=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'untravelled' })]);

    // One drop-off: the report's is the paths' (and the picture's), and transitions are named by their states' labels.
    const after = (await api.call<any>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/report`)).body;
    const pathsAfter = (await api.call<any>('u-agent', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}/paths`)).body;
    const rates = Object.fromEntries(pathsAfter.dropOff.map((o: any) => [o.state, o.rate]));
    for (const s of after.states) expect(s.dropOff).toBe(rates[s.state]);
    expect(rates.promoter).toBe(0);
    expect(svg.body).toMatch(/data-state="promoter"[^>]*data-drop-off="0.0000"/);
    expect(after.transitions).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'escalated', fromName: 'Escalated inquiry', to: 'customer', toName: 'Customer' })]));
  }, 90_000);
});
