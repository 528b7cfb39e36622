import { describe, expect, it } from 'vitest';
import { newCustomer, runStory, type StoryResult } from '../../infra/local/demo/story.js';
import { storyMaxTimeScale } from '../../infra/local/demo/time-scale.js';
import { readSentMail, type StoredMail } from '../../infra/local/ses-local.js';
import { runConcurrent } from '../bench/stats.js';
import { useCadenceCloud } from '../support/cadence-cloud.js';
import { sesEndpoint } from '../support/local-cloud.js';
import { callLog, countThrottles, sharedMailReader, streamLag } from './measure.js';

// npm run test:soak: the demo's story (infra/local/demo/story.ts) for many customers at once on one local
// cloud at SOAK_TIME_SCALE (by default the fastest the story allows, below). SOAK_CONCURRENCY stories run at a time, SOAK_TOTAL in all.
const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not ${process.env[name]}`);
  return value;
};
const CONCURRENCY = envNumber('SOAK_CONCURRENCY', 50);
const TOTAL = envNumber('SOAK_TOTAL', 200);
// Bounds, not speed checks: a busy 2-core machine is slow, and a step waiting longer than this fails.
const EVENT_WAIT_MS = envNumber('SOAK_EVENT_WAIT_MS', 60_000);
const TIMEOUT_MS = envNumber('SOAK_TIMEOUT_MS', 60 * 60_000);
// The pace comes from the story's own bound: what follows an event may take EVENT_WAIT_MS, and the story's
// tightest margin of the cloud's time is 2 days (after the cadence's follow-up, the lead must leave the
// cadence before its call step): 2 days / 60 s = 2,880×. Faster, simulated time outruns the story (at
// 28,800× half the stories of a 10-at-a-time run went to nurture before step 2 ended).
const SCALE = envNumber('SOAK_TIME_SCALE', storyMaxTimeScale(EVENT_WAIT_MS));
if (TOTAL > 26 ** 3) throw new Error(`SOAK_TOTAL is at most ${26 ** 3} (each customer's name has a tag of three letters)`);

const lag = { current: undefined as ReturnType<typeof streamLag> | undefined };
const cloud = useCadenceCloud(SCALE, { onBusEvent: (event) => lag.current?.onBusEvent(event) });

/** Customer i's own name: Mika Honda + three letters (so no name is a prefix of another's). */
const tagOf = (i: number) => [26 ** 2, 26, 1].map((d) => String.fromCharCode(97 + (Math.floor(i / d) % 26))).join('');
const customerNumber = (i: number) => newCustomer(`soak${tagOf(i)}${Date.now().toString(36)}`, { firstName: 'Mika', lastName: `Honda${tagOf(i)}` });

const mailKey = (to: string, subject: string) => `${to.toLowerCase()}\n${subject}`;

/**
 * Whom a message is about: the customer it is addressed to, and every customer whose name or record id
 * (lead, contact, application, case, deal, approval, request) it carries. Right: exactly one.
 */
const ownersOfMail = (results: readonly StoryResult[]) => {
  const byToken = new Map<string, StoryResult>();
  for (const r of results) {
    byToken.set(r.customer.email.toLowerCase(), r);
    byToken.set(r.customer.lastName, r);
    const { leadId, contactId, instanceId, applicationId, caseId, dealId, approvalId, requestId } = r.ids;
    for (const id of [leadId, contactId, instanceId, applicationId, caseId, dealId, approvalId, requestId]) if (id) byToken.set(id, r);
  }
  return (m: StoredMail): StoryResult[] => {
    const tokens = [...m.destination.to.map((t) => t.toLowerCase()), ...`${m.subject}\n${m.body.text ?? ''}\n${m.body.html ?? ''}`.matchAll(/Honda[a-z]{3}\b|\b[0-9A-Z]{26}\b/g)].map((t) => (typeof t === 'string' ? t : t[0]));
    return [...new Set(tokens.map((t) => byToken.get(t)).filter((r): r is StoryResult => r !== undefined))];
  };
};

/** SES local's store stops changing for `quietMs`: mail of the seed (or of the stories) has gone out. */
const settledMail = async (quietMs: number): Promise<StoredMail[]> => {
  let mail = await readSentMail(sesEndpoint());
  for (let stableSince = Date.now(); Date.now() - stableSince < quietMs; ) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await readSentMail(sesEndpoint());
    if (now.length !== mail.length) stableSince = Date.now();
    mail = now;
  }
  return mail;
};

/** Every page of a list the API answers with `{ items, nextCursor? }`. */
const allPages = async <T>(userId: string, path: string): Promise<T[]> => {
  const items: T[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await cloud.call<{ items: T[]; nextCursor?: string }>(userId, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, `${userId} GET ${path}`).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  }
  return items;
};

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

describe(`the soak: the demo's story for ${TOTAL} customers, ${CONCURRENCY} at a time`, () => {
  it('ends every customer in the story’s journey state, sends each email once to the right customer, creates each task, approval and request once, with no 5xx and no dead letter', async () => {
    const throttles = countThrottles(cloud.deps.db);
    const calls = callLog();
    const before = new Set((await settledMail(3000)).map((m) => m.messageId));
    lag.current = streamLag(cloud.now, SCALE);
    const target = { baseUrl: cloud.baseUrl(), sesEndpoint: sesEndpoint(), tokenFor: cloud.tokenFor, timeScale: SCALE, eventWaitMs: EVENT_WAIT_MS, readMail: sharedMailReader(sesEndpoint()), onCall: calls.onCall };

    const results: StoryResult[] = [];
    const failures: string[] = [];
    const started = performance.now();
    await runConcurrent(TOTAL, CONCURRENCY, async (i) => {
      try {
        results.push(await runStory(target, { customer: customerNumber(i) }));
        if (results.length % 10 === 0) console.log(`Soak: ${results.length} of ${TOTAL} stories done after ${((performance.now() - started) / 60_000).toFixed(1)} min`);
      } catch (error) {
        // A network error names its cause (fetch says only "fetch failed").
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        failures.push(`customer ${tagOf(i)}: ${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`);
      }
    });
    const minutes = (performance.now() - started) / 60_000;
    const largestLag = lag.current.largest();
    const busEvents = lag.current.events();
    const mail = (await settledMail(3000)).filter((m) => !before.has(m.messageId));

    console.log(
      [
        `Soak: ${results.length} of ${TOTAL} stories done, ${CONCURRENCY} at a time, in ${minutes.toFixed(1)} min at ${SCALE}× — ${(results.length / minutes).toFixed(1)} stories per minute`,
        `Requests by step (${calls.count()} in all; p50 / p99 of each request's wall time):`,
        calls.table(),
        `DynamoDB throttles seen: ${throttles.count()}`,
        `Largest stream lag (change written → bus took its event): ${largestLag.ms.toFixed(0)} ms (${largestLag.event}) over ${busEvents} events`,
        `Mail: ${mail.length} messages`,
      ].join('\n'),
    );

    expect(failures).toEqual([]);
    expect(calls.serverErrors()).toEqual([]);

    // Every customer ends where the story ends: promoter.
    for (const r of results) {
      const journeys = await cloud.call<{ items: Array<{ journeyId: string; state: string }> }>('u-agent', 'GET', `/v1/records/Leads/${r.ids.leadId}/journeys`);
      expect(journeys.body.items.map((j) => [j.journeyId, j.state]), r.customer.lastName).toEqual([[r.ids.journeyId, 'promoter']]);
    }

    // Each customer's mail: what the story waited for, plus the approval's verdict to the deal's owner (the
    // story reads the verdict from the API, not the mail); each exactly once, and no other mail went out.
    const expectedOf = (r: StoryResult) => [...r.steps.flatMap((step) => step.emails.map((e) => mailKey(e.to, e.subject))), mailKey('u-agent@keiro.example', 'Discount over 10%: approved')].sort();
    const ownerOf = ownersOfMail(results);
    const unowned = mail.filter((m) => ownerOf(m).length !== 1);
    expect(unowned.map((m) => `${m.destination.to.join(',')}: ${m.subject} names ${ownerOf(m).length} customers`)).toEqual([]);
    for (const r of results) {
      const got = mail.filter((m) => ownerOf(m)[0] === r).map((m) => mailKey(m.destination.to.join(','), m.subject)).sort();
      expect(got, r.customer.lastName).toEqual(expectedOf(r));
    }

    // Every open task once (the call task is done, so not listed); each customer's own once.
    const tasks = [...(await allPages<{ id: string; subject: string; relatedId?: string }>('u-agent', '/v1/tasks?assignee=me')), ...(await allPages<{ id: string; subject: string; relatedId?: string }>('u-manager', '/v1/tasks?assignee=me'))];
    // The journey's state "customer" creates the travel application and "Start the travel application" on
    // entry; the story enters it twice (converted, then back from the escalated case), and an entry action
    // that creates something runs once per (instance, state): exactly one of each per customer.
    const reentered = (t: { subject: string }) => t.subject === 'Start the travel application';
    expect([...countBy(tasks, (t) => `${t.subject} ${t.relatedId ?? ''}`).entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (const r of results) {
      const starts = tasks.filter((t) => reentered(t) && t.relatedId === r.ids.contactId).length;
      const applications = (await allPages('u-agent', `/v1/records/Contacts/${r.ids.contactId}/related/TravelApplications`)).length;
      expect([starts, applications], `${r.customer.lastName}: ${starts} start tasks, ${applications} applications`).toEqual([1, 1]);
    }
    // Simulated time did not outrun a story: none of its leads went quiet (nurture) or reached the cadence's
    // call step. (The seed's own leads do go quiet while the soak runs: weeks pass on the cloud's clock.)
    const soakLeads = new Set(results.map((r) => r.ids.leadId));
    const outrun = (t: { subject: string; relatedId?: string }) => soakLeads.has(t.relatedId) && (t.subject === 'Check in with the lead' || /^Call .* about their travel wishes$/.test(t.subject));
    expect(tasks.filter(outrun).map((t) => `${t.subject} (${t.relatedId})`)).toEqual([]);
    for (const r of results) {
      const own = (subject: string) => tasks.filter((t) => t.subject === subject).length;
      const name = r.ids.applicationName ?? '';
      expect([own(`Draft the travel plan for ${name}`), own(`Arrange tickets and lodging for ${name}`), own(`Review the travel documents for ${name}`)], name).toEqual([1, 1, 1]);
      expect(tasks.filter((t) => t.relatedId === r.ids.leadId && t.subject === 'Contact the new lead')).toHaveLength(1);
    }

    // One approval per deal, each decided (none left pending); one request per customer, each Done.
    expect(new Set(results.map((r) => r.ids.approvalId)).size).toBe(results.length);
    expect(await allPages('u-manager', '/v1/approvals?status=pending&assignee=me')).toEqual([]);
    const requests = await allPages<{ id: string; fields?: { title?: string }; title?: string }>('u-requester', '/v1/my-requests?status=Done');
    const byRequest = countBy(requests, (q) => q.id);
    for (const r of results) expect(byRequest.get(r.ids.requestId ?? ''), r.customer.lastName).toBe(1);
    expect(requests.filter((q) => !results.some((r) => r.ids.requestId === q.id))).toEqual([]);

    expect(await allPages('u-admin', '/v1/admin/dead-letters')).toEqual([]);
  }, TIMEOUT_MS);
});
