import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, runStory, STORY_STEPS, type StepReport, type StoryResult } from '../../../infra/local/demo/story.js';
import { spoken } from '../../../infra/local/demo/steps-service.js';
import { SEED_USERS } from '../../../infra/local/seed-users.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { captureOutput, findPersonalData, type CapturedOutput } from '../../support/capture-output.js';
import { useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { itemsHolding, phoneForms } from '../../support/table-scan.js';

/**
 * `npm run demo` as a test: the story module against the whole local cloud (API, stream → bus →
 * subscriptions, the timer state machine) on a simulated clock: 8 hours pass per second, so the story's
 * 2- and 3-day waits take 6 and 9 s. The event router logs as in `npm start`, and every byte the process
 * logs is captured. The story runs once (it is most of this file's time) and three sets of checks read it:
 * - what it reports: the emails, tasks and journey states a person would see, and the API agrees;
 * - its logs carry ids, never the emails, phones, names or texts the story used (customer and employees);
 * - the right to be forgotten: then an org admin erases the customer's lead and contact, and no item of
 *   Keiro's table holds its names, email or phone, in any attribute, any casing, or inside a nested JSON
 *   string. Mail already delivered stays.
 * The erasure comes last (the first two only read), after the story's log is taken.
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
const seen: number[] = [];
beforeAll(async () => {
  output = captureOutput();
  story = await runStory({ baseUrl: cloud.baseUrl(), sesEndpoint: sesEndpoint(), tokenFor: cloud.tokenFor, timeScale: SCALE }, { customer, onStep: (r) => seen.push(r.n) });
  // What the story logged; the capture stays on (quiet) through the erasure, which the log checks do not read.
  logged = output.text();
  lines = output.json();
}, 150_000);
afterAll(() => output?.restore());

const emails = (s: StepReport | undefined) => s?.emails.map((e) => [e.to, e.subject]);
const tasks = (s: StepReport | undefined) => s?.tasks.map((t) => [t.assignee, t.subject]);


describe('the travel agency, end to end (npm run demo)', () => {
  it('runs every step of the scenario and reports the emails, tasks and journey states a person would see', async () => {
    const result = story;
    const { customer: c, steps, ids } = result;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps.map((s) => s.title)).toEqual(STORY_STEPS.map(([title]) => title));
    expect(steps.map((s) => s.journeyState)).toEqual(['lead', 'lead', 'customer', 'customer', 'customer', 'customer', 'promoter']);
    const name = `${c.firstName} ${c.lastName}`;
    expect(ids.applicationName).toBe(name);
    const [wizard, cadence, journey, blueprint, kiosk, operations, trip] = steps;

    // 1. The wizard: three screens, a draft on the way, the lead in the journey with a task for its owner.
    expect(wizard?.happened[0]).toMatch(/^Akari Agent entered a lead through the wizard "New lead": Contact details → Travel wishes → Consent \(kept as a draft once on the way\); lead \w+ was created with status New$/);
    expect(tasks(wizard)).toEqual([['u-agent', 'Contact the new lead']]);
    expect(emails(wizard)).toEqual([]);

    // 2. The cadence: thank-you, an open, the survey, and the follow-up after 2 days without a reply.
    expect(emails(cadence)).toEqual([
      [c.email, `Thank you for your travel inquiry, ${c.firstName}`],
      [c.email, `Where would you like to go, ${c.firstName}?`],
      [c.email, `Still dreaming of a trip, ${c.firstName}?`],
    ]);
    expect(cadence?.happened.at(-1)).toBe('Enrollment: active; steps thank-you sent, survey sent, follow-up sent');

    // 3. Qualified → converted → the travel application; out of the cadence; an escalated case and back.
    expect(journey?.happened).toEqual(
      expect.arrayContaining([
        'The journey moved it Lead → Prospect → Customer (Lead Status became Qualified; Lead converted)',
        `The journey created the travel application "${name}" (${ids.applicationId}) for the contact, owned by Akari Agent, in stage Requirements Check`,
        'The lead left the cadence (criteria: lead status Qualified)',
        'The journey escalated it: the case now belongs to Masaru Manager with status Escalated, and the customer was told',
      ]),
    );
    expect(tasks(journey)).toEqual([['u-agent', 'Start the travel application']]);
    expect(emails(journey)).toEqual([[c.email, 'We are escalating your inquiry']]);

    // 4. The blueprint to Arrangement with the manager's step; the discount approved; the high-value rule.
    expect(blueprint?.happened.filter((h) => h.includes(' performed '))).toEqual([
      'Akari Agent performed "Requirements checked": Requirements Check → Travel Plan',
      'Akari Agent performed "Travel plan ready": Travel Plan → Manager Approval',
      'Masaru Manager performed "Manager approved": Manager Approval → Arrangement',
    ]);
    expect(blueprint?.happened).toContain('In Manager Approval only the manager may act: Akari Agent is offered nothing, Masaru Manager may choose "Manager approved" or "Sent back to travel plan"');
    expect(blueprint?.happened).toContain('Masaru Manager approved the discount; the deal is unlocked');
    expect(tasks(blueprint)).toEqual([
      ['u-agent', `Draft the travel plan for ${name}`],
      ['u-manager', `Approve the travel plan for ${name}`],
      ['u-agent', `Arrange tickets and lodging for ${name}`],
      ['u-agent', `Send the approved quote for ${name} package`],
      ['u-agent', 'Plan the high-value deal'],
    ]);
    expect(emails(blueprint)).toEqual([
      ['u-manager@keiro.example', `Travel plan to approve: ${name}`],
      ['u-agent@keiro.example', `Travel plan approved: ${name}`],
      ['u-manager@keiro.example', `High-value deal: ${name} package`],
    ]);

    // 5. The kiosk: new dates, attributed to the kiosk, the owner, Operations and the customer told.
    expect(kiosk?.happened).toEqual(
      expect.arrayContaining([
        `The kiosk showed the current dates: ${name}: 2027-05-01 → 2027-05-05`,
        'The application now runs 2027-05-08 → 2027-05-12; its history names the change: via kiosk, Kiosk "Update travel info"',
      ]),
    );
    expect(emails(kiosk)).toEqual([
      ['u-agent@keiro.example', `New travel dates: ${name}`],
      ['u-ops@keiro.example', `New travel dates: ${name}`],
      [c.email, `New travel dates: ${name}`],
    ]);

    // 6. Operations: submitted by the requester, assigned to u-ops, In Progress then Done, each told by email.
    expect(operations?.happened[0]).toBe(`Rika Requester submitted "Flights and hotel for ${name}" to Operations (team module Arrangements): Submitted, assigned to Osamu Ops`);
    expect(operations?.happened).toContain('Rika Requester sees it Done in My Requests');
    expect(emails(operations)).toEqual([
      ['u-requester@keiro.example', `Your request "Flights and hotel for ${name}" is now In Progress`],
      ['u-requester@keiro.example', `Your request "Flights and hotel for ${name}" is now Done`],
    ]);

    // 7. The trip: Completed; the journey's survey; no reply in 3 days → the call; moved to promoter.
    expect(trip?.happened.filter((h) => h.includes(' performed '))).toEqual([
      'Akari Agent performed "Tickets and lodging arranged": Arrangement → Documents Review',
      'Akari Agent performed "Documents reviewed": Documents Review → Completed',
    ]);
    expect(emails(trip)).toEqual([
      ['u-agent@keiro.example', `Travel application completed: ${name}`],
      [c.email, 'How was your trip?'],
    ]);
    expect(tasks(trip)).toEqual([
      ['u-agent', `Review the travel documents for ${name}`],
      ['u-agent', 'Call the customer about their trip'],
    ]);

    // The journey report and paths count this customer's route (the seeded leads entered too).
    const byState = Object.fromEntries(result.journey.report.states.map((s) => [s.state, s]));
    // At the goal nobody has dropped off (the report said 100 % here before drop-off was defined once).
    expect(byState.promoter).toMatchObject({ now: 1, entered: 1, dropOff: 0 });
    expect(byState.escalated).toMatchObject({ now: 0, entered: 1, exited: 1 });
    expect(result.journey.report.transitions).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'trip-completed', fromName: 'Trip completed', to: 'follow-up-call', toName: 'Follow-up call', count: 1 })]));
    expect(result.journey.paths.goal).toBe('promoter');
    expect(result.journey.paths.paths).toContainEqual({ states: ['lead', 'prospect', 'customer', 'escalated', 'customer', 'trip-completed', 'follow-up-call'], count: 1, reachedGoal: 1, goalConversion: 1 });

    // What the story reports is what the API says.
    const lead = await cloud.call('u-agent', 'GET', `/v1/records/Leads/${ids.leadId}`);
    expect(lead.body.fields).toMatchObject({ firstName: c.firstName, lastName: c.lastName, email: c.email, leadStatus: 'Qualified', converted: true });
    const application = await cloud.call('u-agent', 'GET', `/v1/records/TravelApplications/${ids.applicationId}`);
    expect(application.body.fields).toMatchObject({ stage: 'Completed', departureDate: '2027-05-08', returnDate: '2027-05-12', changeDetails: c.changeDetails, contactId: ids.contactId });
    const request = await cloud.call('u-ops', 'GET', `/v1/requests/${ids.requestId}`);
    expect(request.body).toMatchObject({ status: 'Done', requesterId: 'u-requester', assigneeId: 'u-ops' });

    // Every email to the customer is a customer email: from the organisation's name, a greeting, the
    // signature, and none of the agent's notes for colleagues (the kiosk's "What changed, and why").
    const toCustomer = (await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes(c.email));
    expect(toCustomer.length).toBeGreaterThanOrEqual(6);
    for (const mail of toCustomer) {
      expect(mail.from, mail.subject).toMatch(/^"Keiro Travel" <[^>]+>$/);
      expect(mail.body.text, mail.subject).toMatch(/^(Dear|Hello)\b/);
      expect(mail.body.text, mail.subject).toContain('\n\nKeiro Travel');
      expect(mail.body.text, mail.subject).not.toContain(c.changeDetails);
      expect(mail.body.html ?? '', mail.subject).not.toContain(c.changeDetails);
    }

    // Coming back from Escalated to Customer created nothing twice: one travel application, one task to start it.
    const applications = await cloud.call('u-agent', 'GET', `/v1/records/Contacts/${ids.contactId}/related/TravelApplications?limit=50`);
    expect(applications.body.items.map((a: { id: string }) => a.id)).toEqual([ids.applicationId]);
    const agentTasks = await cloud.call('u-agent', 'GET', '/v1/tasks?assignee=me&limit=200');
    expect(agentTasks.body.items.filter((t: { subject: string; relatedId?: string }) => t.subject === 'Start the travel application' && t.relatedId === ids.contactId)).toHaveLength(1);
  });
});

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
