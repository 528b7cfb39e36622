import { afterAll, describe, expect, it } from 'vitest';
import { newCustomer, runStory } from '../../../infra/local/demo/story.js';
import { SEED_USERS } from '../../../infra/local/seed-users.js';
import { captureOutput, findPersonalData, type CapturedOutput } from '../../support/capture-output.js';
import { useCadenceCloud } from '../../support/cadence-cloud.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/**
 * The demo (`npm run demo`'s story: wizard, cadence emails and the open, conversion, escalation, the
 * blueprint, the discount approval, the workflow rule, the kiosk, the Operations request, the journey's
 * follow-up after a scaled wait) against the whole local cloud with the event router logging as in
 * `npm start`, with every byte the process logs captured: none of the personal data the story used
 * appears in it (customer and employees alike), while the log and metric lines are there.
 */
const SCALE = 28_800;
const cloud = useCadenceCloud(SCALE, { logEvents: true });
const tag = Math.random().toString(36).slice(2, 8);
// Distinctive values, so that a hit is a leak and not a coincidence.
const customer = { ...newCustomer(tag), firstName: `Mika${tag}`, lastName: `Honda${tag}`, changeDetails: `Her daughter has exams ${tag}: the trip moves by a week` };

let output: CapturedOutput | undefined;
afterAll(() => output?.restore());

describe('no personal data in the logs of the demo', () => {
  it('runs the whole story and logs ids, never the emails, phones, names or texts it used', async () => {
    output = captureOutput();
    const result = await runStory({ baseUrl: cloud.baseUrl(), sesEndpoint: sesEndpoint(), tokenFor: cloud.tokenFor, timeScale: SCALE }, { customer });
    const logged = output.text();
    const lines = output.json();
    output.restore();
    expect(result.steps).toHaveLength(7);

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
  }, 150_000);
});
