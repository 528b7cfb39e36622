import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { shadowToEnd, startShadowJobs } from '../../support/shadow-jobs.js';
import { isShadowRunItem, scanInKeyOrder } from '../../support/table-scan.js';

// Shadow runs of a blueprint end to end: a month of deals moved by their owners through the published
// "Deal sales" blueprint is recorded, then a draft that raises the bar of "Propose" is shadowed over it.
// The same draft is then published on a fresh table and the same month played live: the shadow's counts
// (entries, transitions offered, moves blocked) must be what the live system did, its side-by-side exactly
// the deals whose outcome changed, and the shadow must leave the table as it was.

const DEALS = Number(process.env.SHADOW_E2E_CUSTOMERS ?? 12);
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const TAG = `shadowbp-${Date.now().toString(36)}`;
const WINDOW = { from: new Date(T0).toISOString(), to: new Date(T0 + 31 * DAY).toISOString() };
const AMOUNTS = [150_000, 600_000, 800_000, 1_200_000, 2_500_000];

/** The blueprint: deals from 200,000 enter; "Propose" asks an amount of at least `threshold`. */
const dealSales = (threshold: number) => ({
  name: `Deal sales ${TAG}`,
  module: 'Deals',
  field: 'stage',
  entryCriteria: { all: [{ field: 'amount', op: 'gte', value: 200_000 }] },
  initialState: 'Qualification',
  states: ['Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
  transitions: [
    { id: 'propose', name: 'Propose', from: 'Qualification', to: 'Proposal', before: { who: [{ kind: 'owner' }], criteria: { all: [{ field: 'amount', op: 'gte', value: threshold }] } }, after: [{ type: 'createTask', subject: 'Prepare the proposal', assignee: { kind: 'owner' } }] },
    { id: 'negotiate', name: 'Negotiate', from: 'Proposal', to: 'Negotiation', before: { who: [{ kind: 'owner' }] } },
    { id: 'win', name: 'Win', from: 'Negotiation', to: 'Closed Won', before: { who: [{ kind: 'owner' }] } },
    { id: 'lose', name: 'Lose', kind: 'common', to: 'Closed Lost', before: { who: [{ kind: 'owner' }] } },
  ],
});
const PUBLISHED = dealSales(500_000);
const DRAFT = dealSales(1_000_000);

type Step = { at: number; key: string } & ({ kind: 'deal'; amount: number } | { kind: 'move'; transitionId: string });
/** The story: each deal is created; its owner proposes it a day later and (some) negotiate or lose it after. */
const story = (): Step[] => {
  const steps: Step[] = [];
  for (let i = 0; i < DEALS; i += 1) {
    const at = T0 + Math.floor((i / DEALS) * 25 * DAY);
    const key = `${TAG}-${String(i).padStart(3, '0')}`;
    const amount = AMOUNTS[i % AMOUNTS.length]!;
    steps.push({ at, key, kind: 'deal', amount });
    if (amount < 200_000) continue;
    steps.push({ at: at + DAY, key, kind: 'move', transitionId: 'propose' });
    if (i % 3 === 1) steps.push({ at: at + 2 * DAY, key, kind: 'move', transitionId: 'negotiate' });
    if (i % 3 === 2) steps.push({ at: at + 2 * DAY, key, kind: 'move', transitionId: 'lose' });
  }
  return steps.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
};
const STORY = story();

interface World {
  api: E2eApi;
  now: { t: number };
  blueprintId: string;
  deals: Map<string, string>;
  /** What the owners' transitions got: key → transition id → status. */
  moves: Map<string, Record<string, number>>;
  runner?: LocalSfnRunner;
}

const startWorld = async (definition: ReturnType<typeof dealSales>): Promise<World> => {
  const now = { t: T0 - DAY };
  const api = await startE2eApi({ deps: { clock: () => new Date(now.t) } });
  const created = await api.call<{ id: string; revision: number }>('u-admin', 'POST', '/v1/blueprints', { body: definition });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await api.call('u-admin', 'POST', `/v1/blueprints/${created.body.id}/publish`, { headers: { 'if-match': `"${created.body.revision}"` } });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return { api, now, blueprintId: created.body.id, deals: new Map(), moves: new Map() };
};

const play = async (world: World) => {
  for (const step of STORY) {
    world.now.t = step.at;
    if (step.kind === 'deal') {
      const res = await world.api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: step.key, amount: step.amount } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      world.deals.set(step.key, res.body.id);
      continue;
    }
    const res = await world.api.call('u-agent', 'POST', `/v1/records/Deals/${world.deals.get(step.key)}/transitions/${step.transitionId}`, { body: {} });
    world.moves.set(step.key, { ...world.moves.get(step.key), [step.transitionId]: res.status });
  }
  world.now.t = T0 + 31 * DAY + 3_600_000;
};

type ShadowRun = {
  id: string;
  status: string;
  result?: {
    counts: Array<{ kind: string; label: string; count: number }>;
    samples: Array<{ kind: string; label: string; items: Array<{ record: { id: string }; outcome: string; reason?: string }> }>;
    comparison?: { publishedVersion: number; added: Array<{ record: { id: string } }>; removed: Array<{ record: { id: string } }>; moved: Array<{ record: { id: string }; from: { kind: string }; to: { kind: string } }>; recorded?: { checked: number; mismatches: number } };
  };
};
const shadow = (world: World, body: Record<string, unknown>) => shadowToEnd<ShadowRun>(world.api, { ...body, window: WINDOW });

const isRunItem = isShadowRunItem;

let recorded: World;
let live: World;
let run: ShadowRun;
let before: Array<Record<string, unknown>>;
let after: Array<Record<string, unknown>>;

beforeAll(async () => {
  recorded = await startWorld(PUBLISHED);
  await play(recorded);
  recorded.runner = startShadowJobs(recorded.api.deps);
  before = await scanInKeyOrder(recorded.api.deps);
  run = await shadow(recorded, { kind: 'blueprint', definitionId: recorded.blueprintId, draft: DRAFT });
  after = await scanInKeyOrder(recorded.api.deps);
  live = await startWorld(DRAFT);
  await play(live);
}, 600_000);

afterAll(async () => {
  await recorded?.runner?.stop();
  await recorded?.api.close();
  await live?.api.close();
}, 120_000);

const countOf = (kind: string, label?: string) => (run.result?.counts ?? []).filter((c) => c.kind === kind && (label === undefined || c.label === label)).reduce((n, c) => n + c.count, 0);
const liveMoves = (status: (s: number) => boolean) => [...live.moves.values()].flatMap((m) => Object.values(m)).filter(status).length;

describe('a blueprint draft shadowed over a recorded month', () => {
  it('enters the deals the live draft governs, offers the transitions it performed and blocks the moves it refused', () => {
    expect(run.status).toBe('done');
    expect(countOf('enrollment')).toBe(STORY.filter((s) => s.kind === 'deal' && s.amount >= 200_000).length);
    // Every move the live draft performed (200) is an offered transition; every move it refused is blocked.
    expect(countOf('transitionOffered')).toBe(liveMoves((s) => s === 200));
    expect(countOf('transitionBlocked')).toBe(liveMoves((s) => s !== 200));
    expect(countOf('transitionBlocked')).toBeGreaterThan(0);
    expect(countOf('task', 'Prepare the proposal')).toBe([...live.moves.values()].filter((m) => m.propose === 200).length);
    const blocked = run.result!.samples.find((s) => s.kind === 'transitionBlocked' && s.label === 'Qualification → Proposal')!.items[0]!;
    expect(blocked).toMatchObject({ outcome: 'refused', reason: 'The record does not meet the criteria of "Propose"' });
  });

  it('beside the published version: exactly the deals whose outcome differs, and the recorded transitions agree with the published replay', () => {
    const differs = [...recorded.moves.keys()].filter((key) => JSON.stringify(recorded.moves.get(key)) !== JSON.stringify(live.moves.get(key)));
    expect(differs.length).toBeGreaterThan(0);
    const comparison = run.result!.comparison!;
    const ids = new Set([...comparison.added, ...comparison.removed, ...comparison.moved].map((e) => e.record.id));
    expect([...ids].sort()).toEqual(differs.map((key) => recorded.deals.get(key)!).sort());
    expect(comparison.moved.every((m) => m.from.kind === 'transitionOffered' && m.to.kind === 'transitionBlocked')).toBe(true);
    expect(comparison.recorded).toEqual({ checked: [...recorded.moves.values()].filter((m) => Object.values(m).includes(200)).length, mismatches: 0 });
  });

  it('writes nothing but its own items', () => {
    expect(after.filter((i) => !isRunItem(i, run.id))).toEqual(before.filter((i) => !isRunItem(i, run.id)));
  });

  it('a member may not shadow a blueprint (403); its run is 404 to them', async () => {
    expect((await recorded.api.call('u-agent', 'POST', '/v1/shadow-runs', { body: { kind: 'blueprint', draftOf: recorded.blueprintId, window: WINDOW } })).status).toBe(403);
    expect((await recorded.api.call('u-agent', 'GET', `/v1/shadow-runs/${run.id}`)).status).toBe(404);
    const bad = await recorded.api.call<{ errors?: Array<{ path: string }> }>('u-admin', 'POST', '/v1/shadow-runs', { body: { kind: 'blueprint', draft: { ...DRAFT, initialState: 'Nowhere' }, window: WINDOW } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toMatch(/^draft\./);
  });
});
