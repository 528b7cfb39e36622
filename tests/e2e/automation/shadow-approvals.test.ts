import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { DISCOUNT_APPROVAL } from '../../../infra/local/seed-processes.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { shadowToEnd, startShadowJobs } from '../../support/shadow-jobs.js';
import { isShadowRunItem, scanInKeyOrder } from '../../support/table-scan.js';

// Shadow runs of an approval process end to end: a month of deals offered by u-agent (and some by the
// admin) under the seeded "Discount over 10%" is recorded, with u-manager deciding what it asks within
// the hour; then a draft that lowers the bar to 5 % is shadowed over it. The same draft is then published
// on a fresh table and the same month played live: the approvals the shadow starts (and whom they ask)
// must be what the live system started, its side-by-side exactly the deals whose outcome changed, its
// cross-check with the recorded approvals clean, and the shadow must leave the table as it was.

const DEALS = Number(process.env.SHADOW_E2E_CUSTOMERS ?? 12);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const TAG = `shadowap-${Date.now().toString(36)}`;
const WINDOW = { from: new Date(T0).toISOString(), to: new Date(T0 + 31 * DAY).toISOString() };
/** Discounts at creation: none, under both bars, between them (only the draft asks), over both. */
const OFFERS = [0, 3, 8, 15, 30];
const DRAFT = { ...DISCOUNT_APPROVAL, name: 'Discount over 5%', criteria: { all: [{ field: 'discountPercent', op: 'gt', value: 5 }] } };

type Step = { at: number; key: string } & ({ kind: 'deal'; discount: number; by: string } | { kind: 'edit'; discount: number; by: string } | { kind: 'decide' });
/**
 * The story: each deal is created (every fifth by the admin: "members only" leaves it out); u-manager
 * decides what is pending on it within the hour. A deal nobody asked about is edited later by who made it (to 8 %:
 * only the draft asks; to 20 %: both), as is one that was approved (to 40 %), and decided again.
 * A deal that only the draft would lock is never edited after (the past cannot tell when it would be decided).
 */
const story = (): Step[] => {
  const steps: Step[] = [];
  for (let i = 0; i < DEALS; i += 1) {
    const at = T0 + Math.floor((i / DEALS) * 25 * DAY);
    const key = `${TAG}-${String(i).padStart(3, '0')}`;
    const discount = OFFERS[i % OFFERS.length]!;
    const by = i % 5 === 4 ? 'u-admin' : 'u-agent';
    steps.push({ at, key, kind: 'deal', discount, by }, { at: at + HOUR, key, kind: 'decide' });
    const later = discount <= 5 || (by === 'u-agent' && discount > 10) || by === 'u-admin';
    if (!later) continue;
    steps.push({ at: at + DAY, key, kind: 'edit', discount: discount > 10 ? 40 : i % 2 === 0 ? 8 : 20, by }, { at: at + DAY + HOUR, key, kind: 'decide' });
  }
  return steps.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
};
const STORY = story();

interface World {
  api: E2eApi;
  now: { t: number };
  processId: string;
  deals: Map<string, string>;
  runner?: LocalSfnRunner;
}

const startWorld = async (definition?: typeof DRAFT): Promise<World> => {
  const now = { t: T0 - DAY };
  const api = await startE2eApi({ deps: { clock: () => new Date(now.t) } });
  const list = await api.call<{ items: Array<{ id: string; name: string; revision: number }> }>('u-admin', 'GET', '/v1/approval-processes');
  const seeded = list.body.items.find((p) => p.name === DISCOUNT_APPROVAL.name)!;
  if (definition) {
    const saved = await api.call('u-admin', 'PUT', `/v1/approval-processes/${seeded.id}`, { body: definition, headers: { 'if-match': `"${seeded.revision}"` } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }
  return { api, now, processId: seeded.id, deals: new Map() };
};

const approvalsOf = async (world: World, key: string) =>
  (await world.api.call<{ items: Array<{ id: string; status: string; processId: string; approverIds: string[] }> }>('u-admin', 'GET', `/v1/records/Deals/${world.deals.get(key)}/approvals`)).body.items.filter((a) => a.processId === world.processId);

const play = async (world: World) => {
  for (const step of STORY) {
    world.now.t = step.at;
    if (step.kind === 'deal') {
      const res = await world.api.call<{ id: string }>(step.by, 'POST', '/v1/records/Deals', { body: { fields: { name: step.key, amount: 500_000, discountPercent: step.discount } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      world.deals.set(step.key, res.body.id);
    } else if (step.kind === 'edit') {
      const res = await world.api.call(step.by, 'PATCH', `/v1/records/Deals/${world.deals.get(step.key)}`, { body: { fields: { discountPercent: step.discount } } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } else {
      for (const pending of (await approvalsOf(world, step.key)).filter((a) => a.status === 'pending')) {
        expect((await world.api.call('u-manager', 'POST', `/v1/approvals/${pending.id}/approve`, { body: {} })).status).toBe(200);
      }
    }
  }
  world.now.t = T0 + 31 * DAY + HOUR;
};

type ShadowRun = {
  id: string;
  status: string;
  result?: {
    counts: Array<{ kind: string; label: string; count: number }>;
    limits: { dependsOnPerson: number; dependsOnCustomer: number };
    comparison?: { publishedVersion: number; added: Array<{ record: { id: string } }>; removed: Array<{ record: { id: string } }>; moved: Array<{ record: { id: string } }>; recorded?: { checked: number; mismatches: number } };
  };
};
const shadow = (world: World, body: Record<string, unknown>) => shadowToEnd<ShadowRun>(world.api, { ...body, window: WINDOW });

const isRunItem = isShadowRunItem;

let recorded: World;
let live: World;
let run: ShadowRun;
let before: Array<Record<string, unknown>>;
let after: Array<Record<string, unknown>>;
const startedIn = async (world: World) => new Map(await Promise.all(STORY.filter((s) => s.kind === 'deal').map(async (s) => [s.key, await approvalsOf(world, s.key)] as const)));
let recordedApprovals: Awaited<ReturnType<typeof startedIn>>;
let liveApprovals: Awaited<ReturnType<typeof startedIn>>;

beforeAll(async () => {
  recorded = await startWorld();
  await play(recorded);
  recordedApprovals = await startedIn(recorded);
  recorded.runner = startShadowJobs(recorded.api.deps);
  before = await scanInKeyOrder(recorded.api.deps);
  run = await shadow(recorded, { kind: 'approvalProcess', definitionId: recorded.processId, draft: DRAFT });
  after = await scanInKeyOrder(recorded.api.deps);
  live = await startWorld(DRAFT);
  await play(live);
  liveApprovals = await startedIn(live);
}, 600_000);

afterAll(async () => {
  await recorded?.runner?.stop();
  await recorded?.api.close();
  await live?.api.close();
}, 120_000);

const total = (approvals: typeof liveApprovals) => [...approvals.values()].reduce((n, list) => n + list.length, 0);

describe('an approval process draft shadowed over a recorded month', () => {
  it('starts the approvals the live draft started, asking whom it asked; each decision depends on a person', () => {
    expect(run.status).toBe('done');
    const asked = [...new Set([...liveApprovals.values()].flat().map((a) => a.approverIds.join(', ')))];
    expect(asked).toEqual(['u-manager']);
    expect(run.result!.counts).toEqual([{ kind: 'approvalStarted', label: 'asks u-manager', count: total(liveApprovals) }]);
    expect(total(liveApprovals)).toBeGreaterThan(total(recordedApprovals));
    expect(run.result!.limits.dependsOnPerson).toBe(total(liveApprovals));
  });

  it('beside the published version: exactly the deals whose outcome differs, and the recorded approvals agree with the published replay', () => {
    const differs = [...liveApprovals.keys()].filter((key) => (liveApprovals.get(key)!.length > 0) !== (recordedApprovals.get(key)!.length > 0));
    expect(differs.length).toBeGreaterThan(0);
    const comparison = run.result!.comparison!;
    expect(comparison.publishedVersion).toBeGreaterThan(0);
    expect(comparison.removed).toEqual([]);
    expect(comparison.moved).toEqual([]);
    expect(comparison.added.map((e) => e.record.id).sort()).toEqual(differs.map((key) => recorded.deals.get(key)!).sort());
    expect(comparison.recorded).toEqual({ checked: [...recordedApprovals.values()].filter((list) => list.length > 0).length, mismatches: 0 });
  });

  it('writes nothing but its own items', () => {
    expect(after.filter((i) => !isRunItem(i, run.id))).toEqual(before.filter((i) => !isRunItem(i, run.id)));
  });

  it('a member may not shadow an approval process (403); its run is 404 to them; a bad draft is 400 at draft.…', async () => {
    expect((await recorded.api.call('u-agent', 'POST', '/v1/shadow-runs', { body: { kind: 'approvalProcess', draftOf: recorded.processId, window: WINDOW } })).status).toBe(403);
    expect((await recorded.api.call('u-agent', 'GET', `/v1/shadow-runs/${run.id}`)).status).toBe(404);
    const bad = await recorded.api.call<{ errors?: Array<{ path: string }> }>('u-admin', 'POST', '/v1/shadow-runs', { body: { kind: 'approvalProcess', draft: { ...DRAFT, editableFields: ['noSuchField'] }, window: WINDOW } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toMatch(/^draft\./);
  });
});
