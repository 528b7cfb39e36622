import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { DEMO_CADENCE_ID } from '../../../infra/local/seed-cadences.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import { mailTo, startCadenceCloud, type CadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { startShadowJobs } from '../../support/shadow-jobs.js';
import { isShadowRunItem, scanAll } from '../../support/table-scan.js';

// A shadow of the demo cadence with narrower enrollment criteria (leads with a company), over what the
// published cadence really did: leads created, thank-you emails sent, some opened (so the survey went
// out). The same draft is then published on a fresh cloud and the same story played live: the shadow's
// counts must be what it then does, its side-by-side exactly the leads that no longer enroll, and the
// shadow must leave the table and the sent mail as they were.

const SCALE = 3_600; // a simulated hour per second: the survey's 14 days and the 2-day waits stay outside the test
const TAG = `shcad-${Date.now().toString(36)}`;
const LEADS = Array.from({ length: 8 }, (_, i) => ({ key: i, firstName: `Aoi${i}`, company: i % 2 === 0 ? `Company ${i}` : undefined, opens: i % 3 === 0 }));
const THANK_YOU = 'Thank you for your travel inquiry, {{firstName}}';
const SURVEY = 'Where would you like to go, {{firstName}}?';
const draft = { ...TRAVEL_INQUIRY_FOLLOW_UP, enrollment: { trigger: 'onCreate', criteria: { all: [{ field: 'email', op: 'isNotEmpty' }, { field: 'company', op: 'isNotEmpty' }] } } };

type Enrollment = { recordId: string; steps: Array<{ stepId: string; status: string }> };
type Run = {
  id: string;
  status: string;
  progress: { changesReplayed: number; changesTotal?: number };
  result?: {
    counts: Array<{ kind: string; label: string; count: number }>;
    comparison?: { added: Array<{ record: { id: string } }>; removed: Array<{ record: { id: string }; outcome: { kind: string } }>; moved: unknown[]; recorded?: { checked: number; mismatches: number } };
    limits: { dependsOnPerson: number; dependsOnCustomer: number };
  };
};

/** Plays the story on a cloud: the leads, then (once their thank-you arrived, if they were enrolled) the opens; waits for the surveys. */
const play = async (cloud: CadenceCloud, world: string, enrolls: (lead: (typeof LEADS)[number]) => boolean): Promise<Map<string, number>> => {
  const ids = new Map<string, number>();
  // Both clouds send to the one SES store: each world's addresses are its own.
  const emailOf = (lead: (typeof LEADS)[number]) => `${TAG}-${world}-${lead.key}@example.jp`;
  for (const lead of LEADS) {
    const res = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: lead.firstName, lastName: TAG, email: emailOf(lead), ...(lead.company ? { company: lead.company } : {}) } } });
    expect(res.status).toBe(201);
    ids.set(res.body.id as string, lead.key);
  }
  const enrolled = LEADS.filter(enrolls);
  for (const lead of enrolled) {
    const thanks = await waitFor(async () => (await mailTo(emailOf(lead))).find((m) => m.subject.startsWith('Thank you')), `the thank-you to ${lead.key}`, 20_000);
    if (lead.opens) expect((await cloud.call('u-admin', 'POST', '/v1/dev/ses-events', { body: { messageId: thanks.messageId, eventType: 'Open' } })).status).toBe(202);
  }
  for (const lead of enrolled.filter((l) => l.opens)) await waitFor(async () => (await mailTo(emailOf(lead))).some((m) => m.subject.startsWith('Where would')), `the survey to ${lead.key}`, 20_000);
  return ids;
};
const enrollmentsOf = async (cloud: CadenceCloud, ids: Map<string, number>) => {
  const out: Enrollment[] = [];
  for (const id of ids.keys()) {
    const res = await cloud.call<Enrollment>('u-admin', 'GET', `/v1/cadences/${DEMO_CADENCE_ID}/enrollments/${id}`);
    if (res.status === 200) out.push(res.body);
  }
  return out;
};
const sentOf = (enrollments: Enrollment[], stepId: string) => enrollments.filter((e) => e.steps.some((s) => s.stepId === stepId && s.status === 'sent')).length;
const ourMail = async () => JSON.stringify((await readSentMail(sesEndpoint())).filter((m) => JSON.stringify(m).includes(TAG)));
const sorted = (items: Array<Record<string, unknown>>) => items.sort((a, b) => `${String(a.PK)}|${String(a.SK)}`.localeCompare(`${String(b.PK)}|${String(b.SK)}`));
const isRunItem = isShadowRunItem;

/**
 * The table once the story's events in flight have landed: three scans a second apart alike. On a busy
 * machine a consumer may still be acting on the story when its timers stop; its write is not the shadow's.
 */
const tableAtRest = async (deps: CadenceCloud['deps']) => {
  let last = '';
  let alike = 0;
  let items: Array<Record<string, unknown>> = [];
  await waitFor(async () => {
    items = sorted(await scanAll(deps));
    const text = JSON.stringify(items);
    alike = text === last ? alike + 1 : 0;
    last = text;
    if (alike < 2) await new Promise((r) => setTimeout(r, 1_000));
    return alike >= 2;
  }, 'the table to come to rest', 60_000);
  return items;
};

let recorded: CadenceCloud;
let live: CadenceCloud;
let run: Run;
let recordedIds: Map<string, number>;
let liveEnrollments: Enrollment[];
let before: { table: Array<Record<string, unknown>>; mail: string };
let after: { table: Array<Record<string, unknown>>; mail: string };

beforeAll(async () => {
  // 1. The recorded past: the published demo cadence (every lead with an email) acting on the story.
  recorded = await startCadenceCloud({ scale: SCALE });
  await new Promise((r) => setTimeout(r, 1_000)); // the seed's own enrollments settle before the window
  const from = recorded.now().toISOString();
  recordedIds = await play(recorded, 'recorded', () => true);
  await waitFor(async () => {
    const got = await enrollmentsOf(recorded, recordedIds);
    return sentOf(got, 'thank-you') === LEADS.length && sentOf(got, 'survey') === LEADS.filter((l) => l.opens).length;
  }, 'the recorded enrollments to record their steps', 20_000);
  const to = recorded.now().toISOString();
  // 2. The shadow of the draft beside the published version, with the cloud's timers stopped (the API
  // answers; no wait can fire meanwhile), so any write outside the run's own items would be the shadow's.
  await recorded.runner().stop();
  const runner = startShadowJobs(recorded.deps);
  try {
    before = { table: await tableAtRest(recorded.deps), mail: await ourMail() };
    const startedRun = await recorded.call<Run>('u-admin', 'POST', '/v1/shadow-runs', { body: { kind: 'cadence', definitionId: DEMO_CADENCE_ID, draft, window: { from, to } } });
    expect(startedRun.status, JSON.stringify(startedRun.body)).toBe(202);
    run = await waitFor(async () => {
      const got = (await recorded.call<Run>('u-admin', 'GET', `/v1/shadow-runs/${startedRun.body.id}`)).body;
      expect(got.status).not.toBe('failed');
      return got.status === 'done' ? got : undefined;
    }, 'the shadow run', 60_000);
    after = { table: sorted(await scanAll(recorded.deps)), mail: await ourMail() };
  } finally {
    await runner.stop();
  }
  // 3. The draft published on a fresh cloud, the same story played live.
  live = await startCadenceCloud({ scale: SCALE });
  const current = await live.call<{ version: number }>('u-admin', 'GET', `/v1/cadences/${DEMO_CADENCE_ID}`);
  const put = await live.call('u-admin', 'PUT', `/v1/cadences/${DEMO_CADENCE_ID}`, { body: draft, headers: { 'if-match': `"${current.body.version}"` } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const liveIds = await play(live, 'live', (lead) => lead.company !== undefined);
  // The mail reaches SES a moment before the enrollment records the step: wait for the records.
  const expected = LEADS.filter((l) => l.company);
  liveEnrollments = await waitFor(async () => {
    const got = await enrollmentsOf(live, liveIds);
    return got.length === expected.length && sentOf(got, 'thank-you') === expected.length && sentOf(got, 'survey') === expected.filter((l) => l.opens).length ? got : undefined;
  }, 'the live enrollments to record their steps', 20_000);
}, 300_000);

afterAll(async () => {
  await recorded?.stop();
  await live?.stop();
}, 60_000);

const countOf = (kind: string, label: string) => run.result!.counts.find((c) => c.kind === kind && c.label === label)?.count ?? 0;

describe('a shadow of the demo cadence enrolling only leads with a company', () => {
  it('replays the whole window, and the published version agrees with what was recorded live', () => {
    expect(run.progress.changesReplayed).toBe(run.progress.changesTotal);
    expect(run.progress.changesReplayed).toBeGreaterThan(LEADS.length);
    expect(run.result!.comparison!.recorded).toMatchObject({ mismatches: 0 });
    expect(run.result!.comparison!.recorded!.checked).toBeGreaterThanOrEqual(LEADS.length * 2);
  });

  it('counts what the draft, once published, then does live: enrollments, thank-you emails, surveys', () => {
    expect(liveEnrollments.length).toBe(LEADS.filter((l) => l.company).length);
    expect(countOf('enrollment', TRAVEL_INQUIRY_FOLLOW_UP.name)).toBe(liveEnrollments.length);
    expect(countOf('email', THANK_YOU)).toBe(sentOf(liveEnrollments, 'thank-you'));
    expect(countOf('email', SURVEY)).toBe(sentOf(liveEnrollments, 'survey'));
    expect(countOf('email', SURVEY)).toBeGreaterThan(0);
  });

  it('the side-by-side lists exactly the leads that no longer enroll', () => {
    const removed = new Set(run.result!.comparison!.removed.map((r) => recordedIds.get(r.record.id)));
    expect(removed).toEqual(new Set(LEADS.filter((l) => !l.company).map((l) => l.key)));
    expect(run.result!.comparison!.added).toEqual([]);
    expect(run.result!.comparison!.moved).toEqual([]);
  });
});

describe('no writes', () => {
  it('apart from the run’s own items, the table and the sent mail are byte-for-byte as they were', () => {
    const outside = (items: Array<Record<string, unknown>>) => JSON.stringify(items.filter((i) => !isRunItem(i, run.id)));
    expect(outside(after.table)).toBe(outside(before.table));
    expect(after.mail).toBe(before.mail);
    expect(after.table.filter((i) => isRunItem(i, run.id)).length).toBeGreaterThan(0);
  });
});

describe('who may, and bad input', () => {
  type Problem = { status: number; errors?: Array<{ path: string; message: string }> };
  const post = (as: string, body: unknown) => recorded.call<Problem>(as, 'POST', '/v1/shadow-runs', { body });
  const window = { days: 1 };

  it('a draft error is a 400 at draft.… (the cadence’s own checks), changing nothing', async () => {
    const bad = await post('u-admin', { kind: 'cadence', draft: { ...draft, steps: [{ id: 'a', type: 'email', subject: 'Hi {{nickname}}', text: 't' }] }, window });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['draft.steps.0.subject']);
    const schema = await post('u-admin', { kind: 'cadence', draft: { ...draft, sendWindow: { days: [8], start: '9:00', end: '17:00' } }, window });
    expect(schema.status).toBe(400);
    expect(schema.body.errors?.map((e) => e.path).sort()).toEqual(['draft.sendWindow.days.0', 'draft.sendWindow.end', 'draft.sendWindow.start']);
    const moved = await post('u-admin', { kind: 'cadence', definitionId: DEMO_CADENCE_ID, draft: { ...draft, module: 'Contacts' }, window });
    expect(moved.status).toBe(400);
    expect(moved.body.errors?.map((e) => e.path)).toEqual(['draft.module']);
  });

  it('members may not shadow cadences (403), guests do not see them (404); an unknown cadence (or approval process: every kind is replayed now) is 404', async () => {
    expect((await post('u-admin', { kind: 'approvalProcess', draftOf: '01JNOSUCHPROCESS0000000000', window })).status).toBe(404);
    expect((await post('u-agent', { kind: 'cadence', draftOf: DEMO_CADENCE_ID, window })).status).toBe(403);
    expect((await post('u-requester', { kind: 'cadence', draftOf: DEMO_CADENCE_ID, window })).status).toBe(404);
    expect((await post('u-admin', { kind: 'cadence', draftOf: '01JNOSUCHCADENCE0000000000', window })).status).toBe(404);
    expect((await recorded.call('u-agent', 'GET', `/v1/shadow-runs/${run.id}`)).status).toBe(404);
  });
});
