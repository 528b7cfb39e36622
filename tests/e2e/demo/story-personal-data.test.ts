import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, runStory, type StoryResult } from '../../../infra/local/demo/story.js';
import { spoken } from '../../../infra/local/demo/steps-service.js';
import { SEED_USERS } from '../../../infra/local/seed-users.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { captureOutput, findPersonalData, type CapturedOutput } from '../../support/capture-output.js';
import { useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { itemsHolding, phoneForms } from '../../support/table-scan.js';

/**
 * The customer's personal data after the whole demo story (`npm run demo`'s story: wizard, cadence
 * emails and the open, conversion, escalation, the blueprint, the discount approval, the workflow rule,
 * the kiosk, the Operations request, the journey's follow-up after a scaled wait), run once against the
 * whole local cloud with the event router logging as in `npm start` and every byte the process logs
 * captured. Two sets of checks share that one run (the story takes most of this file's time):
 * - the logs carry ids, never the emails, phones, names or texts the story used (customer and employees);
 * - the right to be forgotten: an org admin erases the customer's lead and contact, and then no item of
 *   Keiro's table holds its names, email or phone, in any attribute, any casing, or inside a nested JSON
 *   string. Mail already delivered stays.
 * The erasure comes after the story's log is taken, so it changes nothing the log checks read.
 */
const SCALE = 28_800;
const cloud = useCadenceCloud(SCALE, { logEvents: true });
const tag = Math.random().toString(36).slice(2, 8);
// Distinctive values, so that a hit is a leak and not a coincidence.
const customer = { ...newCustomer(tag), firstName: `Mika${tag}`, lastName: `Honda${tag}`, changeDetails: `Her daughter has exams ${tag}: the trip moves by a week` };

let output: CapturedOutput | undefined;
let story: StoryResult;
let logged = '';
let lines: any[] = [];
beforeAll(async () => {
  output = captureOutput();
  story = await runStory({ baseUrl: cloud.baseUrl(), sesEndpoint: sesEndpoint(), tokenFor: cloud.tokenFor, timeScale: SCALE }, { customer });
  // What the story logged; the capture stays on (quiet) through the erasure, which the log checks do not read.
  logged = output.text();
  lines = output.json();
}, 150_000);
afterAll(() => output?.restore());

describe('no personal data in the logs of the demo', () => {
  it('runs the whole story and logs ids, never the emails, phones, names or texts it used', () => {
    expect(story.steps).toHaveLength(7);

    const people = SEED_USERS.filter((u) => u.id !== 'u-admin');
    // The scanner finds what it looks for, in any format (a control, so that "no hits" means something).
    expect(findPersonalData(`x ${customer.phone.replace(/-/g, ' ')} ${customer.email.toUpperCase()} ${customer.lastName}`, { emails: [customer.email], phones: [customer.phone], texts: [customer.lastName] })).toHaveLength(3);
    const found = findPersonalData(logged, {
      emails: [customer.email, ...people.map((u) => u.email)],
      phones: [customer.phone],
      texts: [customer.firstName, customer.lastName, customer.changeDetails, ...people.map((u) => u.name), 'Passport expires before departure', 'Booking the flights and a hotel now'],
    });
    expect(found).toEqual([]);

    // …and it did log: npm start's readable lines (scanned above with the rest)…
    expect(logged).toMatch(/u-agent created Leads \w+ \(via wizard\)/);
    expect(logged).toMatch(/u-manager approved Deals \w+ \("Discount over 10%"\)/);
    // …requests, event handling, timer wakes and business metrics, with ids.
    const handled = lines.filter((l) => l.message === 'Request handled');
    expect(handled.length).toBeGreaterThan(50);
    expect(handled.some((l) => l.routeKey === 'POST /v1/kiosk-runs/{runId}/submit' && l.userId === 'u-agent')).toBe(true);
    const consumers = new Set(lines.filter((l) => l.message === 'Event handled').map((l) => l.handler));
    for (const c of ['consumer:journey-router', 'consumer:kiosk-notify', 'consumer:notify-requester', 'consumer:process-actions', 'consumer:workflow-rules']) expect(consumers.has(c), c).toBe(true);
    const metrics = new Set(lines.filter((l) => l._aws?.CloudWatchMetrics?.[0]?.Namespace === 'Keiro').flatMap((l) => l._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)));
    for (const name of ['RecordsCreated', 'WizardSessionsFinished', 'KioskRunsCompleted', 'RequestsSubmitted', 'EmailsSent', 'EmailsOpened', 'TransitionsMade', 'ApprovalsDecided', 'RuleRuns', 'JourneyMoves', 'LeadsConverted', 'CadenceEnrollments']) expect(metrics.has(name), name).toBe(true);
  });
});

describe('erasing a customer who went through the whole story', () => {
  it('leaves no item of the table quoting the lead or the contact', async () => {
    const { ids } = story;
    const values = [customer.firstName, customer.lastName, customer.email, ...phoneForms(customer.phone)];
    expect((await itemsHolding(cloud.deps, values)).length).toBeGreaterThan(0);

    // A send of the journey or cadence may still be settling: the erasure then answers 409 and the same command finishes it.
    const erase = (module: string, id: string) =>
      waitFor(async () => {
        const res = await cloud.call('u-admin', 'POST', `/v1/records/${module}/${id}/erase`, { body: { reason: `Data subject request ${tag}` } });
        expect([200, 409]).toContain(res.status);
        return res.status === 200 ? res.body : undefined;
      }, `the erasure of ${module} ${id}`);
    expect((await erase('Leads', ids.leadId as string)).erasure).toMatchObject({ status: 'done' });
    expect((await erase('Contacts', ids.contactId as string)).erasure).toMatchObject({ status: 'done' });

    expect(await itemsHolding(cloud.deps, values)).toEqual([]);
    const again = await cloud.call('u-admin', 'POST', `/v1/records/Contacts/${ids.contactId}/erase`, { body: { reason: 'twice' } });
    expect(again.status).toBe(200);
    expect(again.body.erasure).toMatchObject({ status: 'done', reason: `Data subject request ${tag}` });

    // What comes after quotes nothing erased: the records have no values left to copy.
    // The kiosk, given the customer's phone, finds nobody (the lookup items went with the values).
    const run = await cloud.call('u-agent', 'POST', `/v1/kiosks/${ids.kioskId}/runs`, { body: {} });
    expect(run.status).toBe(201);
    const byPhone = await cloud.call('u-agent', 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'customer-phone', values: { phone: spoken(customer.phone) } } });
    expect(byPhone.status).toBe(200);
    expect(JSON.stringify(byPhone.body)).not.toContain(ids.applicationId);
    // A task about the application, written from what the application now says, and the request reopened (its requester is notified).
    const application = await cloud.call('u-agent', 'GET', `/v1/records/TravelApplications/${ids.applicationId}`);
    expect(application.body.fields.name).toBe('[erased] [erased]');
    const task = await cloud.call('u-agent', 'POST', '/v1/records/Tasks', {
      body: { fields: { subject: `Call ${application.body.fields.name} about the trip`, assigneeId: 'u-agent', relatedModule: 'TravelApplications', relatedId: ids.applicationId } },
      headers: { 'idempotency-key': `after-${tag}` },
    });
    expect(task.status).toBe(201);
    const reopened = await cloud.call('u-ops', 'PATCH', `/v1/requests/${ids.requestId}`, { body: { status: 'In Progress', comment: 'One more night' } });
    expect(reopened.status).toBe(200);
    const told = await waitFor(async () => {
      const list = await cloud.call('u-requester', 'GET', '/v1/notifications?limit=50');
      return list.body.items.find((n: { title: string; body: string }) => n.title.endsWith('is now In Progress') && n.body.includes('One more night'));
    }, "the requester's notification of the reopened request");
    expect(told.title).toBe('Your request "Flights and hotel for [erased] [erased]" is now In Progress');
    expect(await itemsHolding(cloud.deps, values)).toEqual([]);

    // The customer's mailbox is theirs: what was delivered stays delivered.
    expect((await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes(customer.email)).length).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
