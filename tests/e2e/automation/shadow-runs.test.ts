import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyRouter } from '../../../functions/events/journey-router.js';
import { workflowRulesConsumer } from '../../../functions/events/workflow-rules.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import type { LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { DEMO_JOURNEY_ID } from '../../../infra/local/seed-journeys.js';
import { HIGH_VALUE_DEAL_RULE_ID } from '../../../infra/local/seed-workflow-rules.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { shadowToEnd, startShadowJobs } from '../../support/shadow-jobs.js';
import { isShadowRunItem, scanInKeyOrder } from '../../support/table-scan.js';

// Shadow runs end to end: a month of the demo's story for 200 customers is recorded live (the published
// High-value deal alert and travel journey acting on it), then drafts of both are shadowed over it. The
// same drafts are then published on a fresh table and the same changes replayed live: the shadow's
// counts must be what the live run did, and its side-by-side exactly the records whose outcome changed.

/**
 * Customers in the story: 12 by default (the file takes ~25 s on this shared 2-core machine: seeding runs
 * through the API with the consumers acting, on two tables); SHADOW_E2E_CUSTOMERS=200 plays the issue's
 * full month (passes in ~170 s here; the shadow runs themselves take about a second each).
 */
const CUSTOMERS = Number(process.env.SHADOW_E2E_CUSTOMERS ?? 12);
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const TAG = `shadow-${Date.now().toString(36)}`;

/** A small seeded PRNG (mulberry32): the story is the same on every run and on both tables. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Step =
  | { at: number; kind: 'lead'; key: string; fields: Record<string, unknown> }
  | { at: number; kind: 'deal'; key: string; fields: Record<string, unknown> }
  | { at: number; kind: 'amount'; key: string; amount: number };

/** The story: each customer is a lead (half with a company), most have a deal, some deals are re-priced days later. */
const story = (): Step[] => {
  const rand = prng(19);
  const amounts = [300_000, 700_000, 850_000, 1_200_000, 2_500_000];
  const steps: Step[] = [];
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const at = T0 + Math.floor((i / CUSTOMERS) * 28 * DAY) + Math.floor(rand() * 3_600_000);
    const key = `${TAG}-${String(i).padStart(3, '0')}`;
    steps.push({ at, kind: 'lead', key, fields: { lastName: key, leadStatus: 'New', ...(rand() < 0.5 ? { company: `Company ${i}` } : {}) } });
    if (rand() < 0.8) {
      const amount = amounts[Math.floor(rand() * amounts.length)]!;
      steps.push({ at: at + 3_600_000, kind: 'deal', key, fields: { name: key, amount } });
      if (rand() < 0.4) steps.push({ at: at + (1 + Math.floor(rand() * 3)) * DAY, kind: 'amount', key, amount: amounts[Math.floor(rand() * amounts.length)]! });
    }
  }
  return steps.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
};
const STORY = story();
const WINDOW = { from: new Date(T0).toISOString(), to: new Date(T0 + 31 * DAY).toISOString() };
/** The live report over the window's days (the demo seed's own leads, entered the day before, are outside it). */
const REPORT = `/v1/journeys/${DEMO_JOURNEY_ID}/report?from=${WINDOW.from.slice(0, 10)}&to=${new Date(T0 + 30 * DAY).toISOString().slice(0, 10)}`;

/** A table whose clock the test moves: every write of the story is stamped at its time in the month. */
interface World {
  api: E2eApi;
  events: LocalEvents;
  runner?: LocalSfnRunner;
  now: { t: number };
  deals: Map<string, { id: string; version: number }>;
  leads: Map<string, string>;
}
const startWorld = async (): Promise<World> => {
  const now = { t: T0 - DAY };
  const api = await startE2eApi({ deps: { clock: () => new Date(now.t) } });
  const events = startLocalEvents(api.deps, { subscriptions: subscriptions.filter((s) => s.id === 'workflow-rules' || s.id === 'journey-router'), consumers: [workflowRulesConsumer, journeyRouter] });
  return { api, events, now, deals: new Map(), leads: new Map() };
};

/** One change of the story through the API. */
const apply = async (world: World, step: Step) => {
  if (step.kind === 'lead') {
    const res = await world.api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: step.fields } });
    expect(res.status).toBe(201);
    world.leads.set(step.key, res.body.id);
  } else if (step.kind === 'deal') {
    const res = await world.api.call<{ id: string; version: number }>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: step.fields } });
    expect(res.status).toBe(201);
    world.deals.set(step.key, res.body);
  } else {
    const deal = world.deals.get(step.key)!;
    const res = await world.api.call<{ version: number }>('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { amount: step.amount } }, headers: { 'if-match': `"${deal.version}"` } });
    expect(res.status).toBe(200);
    deal.version = res.body.version;
  }
};

const SLOT = 6 * 3_600_000;
/**
 * Plays the story through the API in time order: the changes of one 6-hour slot (each a different
 * customer's) go together, stamped at the slot's start, so that seeding a month stays fast.
 */
const play = async (world: World) => {
  const slots = new Map<number, Step[]>();
  for (const step of STORY) slots.set(Math.floor(step.at / SLOT), [...(slots.get(Math.floor(step.at / SLOT)) ?? []), step]);
  for (const [slot, steps] of [...slots].sort((a, b) => a[0] - b[0])) {
    world.now.t = slot * SLOT;
    await Promise.all(steps.map((step) => apply(world, step)));
  }
  world.now.t = T0 + 31 * DAY + 3_600_000;
};

type Execution = { outcome: string; record: { id: string } };
const executionsOf = async (world: World) => {
  const out: Execution[] = [];
  let cursor: string | undefined;
  do {
    const page = await world.api.call<{ items: Execution[]; nextCursor?: string }>('u-admin', 'GET', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}/executions?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
};
/**
 * Waits until the consumers have acted on the whole story: the journey has started its instances, and
 * the rule's execution log has stopped growing (three looks a second apart, the router drained).
 */
const settle = async (world: World) => {
  await waitFor(async () => (await world.api.call<{ started: number }>('u-admin', 'GET', REPORT)).body.started >= expectedStarts(world), 'the journey router', 60_000);
  let last = -1;
  let quiet = 0;
  await waitFor(async () => {
    await world.events.router.drain();
    const n = (await executionsOf(world)).length;
    quiet = n === last ? quiet + 1 : 0;
    last = n;
    if (quiet < 3) await new Promise((r) => setTimeout(r, 1000));
    return quiet >= 3;
  }, 'the execution log to settle', 60_000);
};
let expectedStarts: (world: World) => number = () => 0;

type ShadowRun = {
  id: string;
  status: string;
  progress: { changesReplayed: number; changesTotal?: number };
  result?: {
    counts: Array<{ kind: string; label: string; count: number }>;
    samples: Array<{ kind: string; label: string; items: Array<{ record: { id: string }; outcome: string; reason?: string }> }>;
    comparison?: { publishedVersion: number; added: Array<{ record: { id: string } }>; removed: Array<{ record: { id: string } }>; moved: Array<{ record: { id: string } }>; recorded?: { checked: number; mismatches: number }; truncated: boolean };
    limits: { dependsOnPerson: number; dependsOnCustomer: number };
    journey?: { report: { started: number; states: Array<{ state: string; entered: number }> }; paths: { paths: unknown[] } };
  };
};
const shadow = (world: World, body: Record<string, unknown>) => shadowToEnd<ShadowRun>(world.api, { ...body, window: WINDOW });

const isRunItem = (item: Record<string, unknown>, runIds: string[]) => runIds.some((id) => isShadowRunItem(item, id));
const ourMail = async () => JSON.stringify((await readSentMail(sesEndpoint())).filter((m) => JSON.stringify(m).includes(TAG)));

const RULE_DRAFT_THRESHOLD = 800_000;
const ruleDraft = async (world: World) => {
  const rule = (await world.api.call<Record<string, unknown>>('u-admin', 'GET', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}`)).body;
  return { ...rule, trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: RULE_DRAFT_THRESHOLD } } };
};
const journeyDraft = async (world: World) => {
  const journey = (await world.api.call<{ definition: Record<string, unknown> }>('u-admin', 'GET', `/v1/journeys/${DEMO_JOURNEY_ID}`)).body;
  return { ...journey.definition, entry: { where: { all: [{ field: 'company', op: 'isNotEmpty' }] } } };
};

let recorded: World;
let live: World;
const shadows: { rule?: ShadowRun; journey?: ShadowRun; runIds: string[] } = { runIds: [] };
let before: { table: Array<Record<string, unknown>>; mail: string };
let after: { table: Array<Record<string, unknown>>; mail: string };

beforeAll(async () => {
  // 1. The recorded past: the month played with the published versions acting on it.
  const mark = (what: string) => process.env.SHADOW_E2E_TRACE && console.log(new Date().toISOString(), what);
  recorded = await startWorld();
  expectedStarts = () => CUSTOMERS;
  mark('play');
  await play(recorded);
  mark('settle');
  await settle(recorded);
  mark('settled');
  await recorded.events.stop();
  // 2. The shadows of both drafts, on the recorded table, with nothing else running.
  recorded.runner = startShadowJobs(recorded.api.deps);
  mark('runner');
  before = { table: await scanInKeyOrder(recorded.api.deps), mail: await ourMail() };
  shadows.rule = await shadow(recorded, { kind: 'workflowRule', definitionId: HIGH_VALUE_DEAL_RULE_ID, draft: await ruleDraft(recorded) });
  mark('rule shadowed');
  shadows.journey = await shadow(recorded, { kind: 'journey', definitionId: DEMO_JOURNEY_ID, draft: await journeyDraft(recorded) });
  shadows.runIds = [shadows.rule.id, shadows.journey.id];
  mark('shadowed');
  after = { table: await scanInKeyOrder(recorded.api.deps), mail: await ourMail() };
  // 3. The same drafts published on a fresh table, the same month played live.
  live = await startWorld();
  const rule = await live.api.call('u-admin', 'PUT', `/v1/workflow-rules/${HIGH_VALUE_DEAL_RULE_ID}`, { body: await ruleDraft(live), headers: { 'if-match': '"1"' } });
  expect(rule.status, JSON.stringify(rule.body)).toBe(200);
  const journey = await live.api.call('u-admin', 'PUT', `/v1/journeys/${DEMO_JOURNEY_ID}`, { body: await journeyDraft(live), headers: { 'if-match': '"1"' } });
  expect(journey.status, JSON.stringify(journey.body)).toBe(200);
  await live.api.call('u-admin', 'POST', `/v1/journeys/${DEMO_JOURNEY_ID}/activate`);
  expectedStarts = () => STORY.filter((s) => s.kind === 'lead' && s.fields.company).length;
  await play(live);
  await settle(live);
}, 900_000);

afterAll(async () => {
  await recorded?.runner?.stop();
  await recorded?.events.stop();
  await recorded?.api.close();
  await live?.events.stop();
  await live?.api.close();
}, 120_000);

const countOf = (run: ShadowRun | undefined, kind: string, label: string) => run?.result?.counts.find((c) => c.kind === kind && c.label === label)?.count ?? 0;
const keyOf = (world: World, id: string) => [...world.deals, ...[...world.leads].map(([k, v]) => [k, { id: v }] as const)].find(([, r]) => r.id === id)?.[0];

describe('a shadow of the High-value deal alert with a lower threshold', () => {
  it('replays the whole window: every change counted, the published version agreeing with the execution log', () => {
    expect(shadows.rule!.progress.changesReplayed).toBe(shadows.rule!.progress.changesTotal);
    expect(shadows.rule!.progress.changesReplayed).toBeGreaterThan(STORY.length);
    expect(shadows.rule!.result!.comparison).toMatchObject({ publishedVersion: 1, recorded: { mismatches: 0 } });
  });

  it('counts what the draft, once published, then does live', async () => {
    const ran = (await executionsOf(live)).filter((e) => e.outcome === 'ran');
    expect(countOf(shadows.rule, 'task', 'Plan the high-value deal')).toBe(ran.length);
    expect(shadows.rule!.result!.counts.filter((c) => c.kind === 'email').reduce((n, c) => n + c.count, 0)).toBe(ran.length);
  });

  it('the side-by-side lists exactly the deals whose outcome changes', async () => {
    const ranIn = async (world: World) => new Set((await executionsOf(world)).filter((e) => e.outcome === 'ran').map((e) => keyOf(world, e.record.id)));
    const [was, now] = [await ranIn(recorded), await ranIn(live)];
    const comparison = shadows.rule!.result!.comparison!;
    expect(new Set(comparison.added.map((a) => keyOf(recorded, a.record.id)))).toEqual(new Set([...now].filter((k) => !was.has(k))));
    expect(new Set(comparison.removed.map((a) => keyOf(recorded, a.record.id)))).toEqual(new Set([...was].filter((k) => !now.has(k))));
    expect(comparison.added.length).toBeGreaterThan(0);
  });
});

describe('a shadow of the travel journey with entry criteria (leads with a company)', () => {
  it('counts the instances the draft, once published, then starts live, in the live report schema', async () => {
    const report = (await live.api.call<{ started: number; states: Array<{ state: string; entered: number }> }>('u-admin', 'GET', REPORT)).body;
    expect(countOf(shadows.journey, 'journeyEntered', 'Lead')).toBe(report.started);
    expect(shadows.journey!.result!.journey!.report.started).toBe(report.started);
    expect(shadows.journey!.result!.journey!.paths.paths.length).toBeGreaterThan(0);
  });

  it('the side-by-side lists exactly the leads that no longer enter', () => {
    const removed = new Set(shadows.journey!.result!.comparison!.removed.map((r) => keyOf(recorded, r.record.id)));
    expect(removed).toEqual(new Set(STORY.filter((s) => s.kind === 'lead' && !s.fields.company).map((s) => s.key)));
    expect(shadows.journey!.result!.comparison!.added).toEqual([]);
  });
});

describe('no writes', () => {
  it('apart from the runs’ own items, the table and the sent mail are byte-for-byte as they were', () => {
    const outside = (items: Array<Record<string, unknown>>) => JSON.stringify(items.filter((i) => !isRunItem(i, shadows.runIds)));
    expect(outside(after.table)).toBe(outside(before.table));
    expect(after.mail).toBe(before.mail);
    expect(after.table.filter((i) => isRunItem(i, shadows.runIds)).length).toBeGreaterThan(0);
  });
});

describe('who may, and bad input', () => {
  type Problem = { status: number; errors?: Array<{ path: string; message: string }> };
  const post = (as: string, body: unknown) => recorded.api.call<Problem>(as, 'POST', '/v1/shadow-runs', { body });

  it('a draft error is a 400 at draft.…, a window over 90 days or in the future at window.…', async () => {
    const bad = await post('u-admin', { kind: 'workflowRule', draft: { ...(await ruleDraft(recorded)), actions: [{ type: 'nope' }] }, window: { days: 30 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['draft.actions.0.type']);
    const unknownField = await post('u-admin', { kind: 'workflowRule', draft: { ...(await ruleDraft(recorded)), trigger: { type: 'fieldChanged', field: 'noSuchField' } }, window: { days: 30 } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.[0]?.path).toMatch(/^draft\.trigger/);
    expect((await post('u-admin', { kind: 'journey', draftOf: DEMO_JOURNEY_ID, window: { days: 91 } })).body.errors?.map((e) => e.path)).toEqual(['window.days']);
    const future = await post('u-admin', { kind: 'journey', draftOf: DEMO_JOURNEY_ID, window: { from: WINDOW.from, to: new Date(T0 + 60 * DAY).toISOString() } });
    expect(future.body.errors?.map((e) => e.path)).toEqual(['window.to']);
  });

  it('members may not shadow journeys or org rules (403); a run is 404 to whoever may not see it', async () => {
    expect((await post('u-agent', { kind: 'journey', draftOf: DEMO_JOURNEY_ID, window: { days: 30 } })).status).toBe(403);
    expect((await post('u-agent', { kind: 'workflowRule', draftOf: HIGH_VALUE_DEAL_RULE_ID, window: { days: 30 } })).status).toBe(403);
    expect((await recorded.api.call('u-agent', 'GET', `/v1/shadow-runs/${shadows.runIds[1]}`)).status).toBe(404);
    expect((await recorded.api.call('u-requester', 'GET', `/v1/shadow-runs/${shadows.runIds[0]}`)).status).toBe(404);
    expect((await recorded.api.call('u-admin', 'GET', '/v1/shadow-runs/01JNOSUCHRUN0000000000000A')).status).toBe(404);
  });
});
