import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { ShadowSubject } from '../../shared/domain/shadow/engine.js';
import { WorkflowRuleDefinitionSchema, type WorkflowRule } from '../../shared/domain/workflow/index.js';
import { buildHistoryItem } from '../../shared/db/history.js';
import { recordKeys } from '../../shared/db/keys.js';
import { createShadowRun, getShadowRun } from '../../shared/db/shadow-runs-repo.js';
import { runShadowPage } from '../../stepfunctions/shadow/tasks/page.js';
import { fmtMs, type Figure } from './table.js';

/** Window sizes the bench replays (issue 19: 10,000 changes within 10 s; growth linear); `BENCH_SHADOW_SIZES=1000,2000` for a quick look. */
export const SHADOW_SIZES: readonly number[] = process.env.BENCH_SHADOW_SIZES ? process.env.BENCH_SHADOW_SIZES.split(',').map(Number) : [1_000, 5_000, 10_000];
const DAY = 86_400_000;
const T0 = Date.parse('2026-09-01T00:00:00.000Z');

const rule = (threshold: number): WorkflowRule => ({
  ...WorkflowRuleDefinitionSchema.parse({
    name: 'High-value deal alert',
    module: 'Deals',
    trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: threshold } },
    actions: [{ type: 'createTask', subject: 'Plan the high-value deal', assignee: { kind: 'owner' } }, { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 'High-value deal: {{name}}', text: 'See {{record.id}}' } }],
  }),
  id: 'BENCH-SHADOW-RULE',
  version: 1,
  createdBy: 'u-admin',
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
});

/** `n` recorded changes over 30 days: deals created, then re-priced, as history entries (the outbox) with the record after each change. */
const recordHistory = async (deps: AppDeps, n: number): Promise<void> => {
  const items = Array.from({ length: n }, (_, i) => {
    const deal = `D${String(Math.floor(i / 3)).padStart(6, '0')}`;
    const created = i % 3 === 0;
    const amount = ((i * 7919) % 25) * 100_000;
    const occurredAt = new Date(T0 + Math.floor((i / n) * 30 * DAY)).toISOString();
    const changes = [{ field: 'amount', old: created ? null : amount - 100_000, new: amount }];
    const record = { id: deal, module: 'Deals', version: (i % 3) + 1, ownerId: 'u-agent', fields: { name: deal, amount }, createdAt: occurredAt, updatedAt: occurredAt };
    return buildHistoryItem({
      subjectPK: recordKeys.key('Deals', deal).PK,
      subject: { type: 'record', id: deal, module: 'Deals' },
      eventId: `${occurredAt}-${String(i).padStart(6, '0')}`,
      eventName: created ? 'record.created' : 'record.updated',
      occurredAt,
      changes,
      data: { module: 'Deals', recordId: deal, version: record.version, ownerId: 'u-agent', changes, record },
      context: { actor: 'u-agent', via: 'api', correlationId: `c${i}` },
    });
  });
  for (let i = 0; i < items.length; i += 25) {
    let pending: unknown[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const res = await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.tableName]: pending as never } }));
      pending = res.UnprocessedItems?.[deps.tableName] ?? [];
    }
  }
};

export interface ShadowBench {
  size: number;
  ms: number;
  replayed: number;
  pages: number;
}

/**
 * One shadow run of a workflow rule draft (with its published version beside it) over `size` recorded
 * changes, as its job runs it: the page task called until done (one page holds up to 20,000 changes),
 * timed from the start to the saved result. `tableFor(size)` gives a fresh table per size.
 */
export const benchShadow = async (tableFor: (size: number) => Promise<AppDeps>): Promise<ShadowBench[]> => {
  const out: ShadowBench[] = [];
  for (const size of SHADOW_SIZES) {
    const deps = await tableFor(size);
    const seeding = performance.now();
    await recordHistory(deps, size);
    console.log(`  shadow bench: ${size} changes recorded in ${fmtMs(performance.now() - seeding)}`);
    const draft: ShadowSubject = { kind: 'workflowRule', rule: rule(800_000) };
    const published: ShadowSubject = { kind: 'workflowRule', rule: rule(1_000_000) };
    const id = deps.newId();
    const now = new Date().toISOString();
    const window = { from: new Date(T0).toISOString(), to: new Date(T0 + 31 * DAY).toISOString() };
    await createShadowRun(deps, { id, kind: 'workflowRule', name: 'bench', status: 'queued', window, subject: draft, published: { version: 1, subject: published }, cursor: window.from, page: 0, stateChunks: 0, resultChunks: 0, changesReplayed: 0, createdBy: 'u-admin', createdAt: now, updatedAt: now });
    const started = performance.now();
    let pages = 0;
    for (let done = false; !done; pages += 1) done = (await runShadowPage(deps, { runId: id })).done;
    const ms = performance.now() - started;
    const run = await getShadowRun(deps, id, true);
    if (run?.status !== 'done' || run.changesReplayed !== size) throw new Error(`Shadow bench: ${size} changes gave ${run?.status} with ${run?.changesReplayed} replayed`);
    out.push({ size, ms, replayed: run.changesReplayed, pages });
  }
  return out;
};

export const printShadowBench = (rows: readonly ShadowBench[]): void => {
  console.log('\nShadow runs (a workflow rule draft and its published version over the recorded past, the page task as the job runs it)');
  for (const r of rows) console.log(`  ${r.size.toLocaleString('en-US').padStart(6)} changes: ${fmtMs(r.ms).padStart(9)} · ${Math.round((r.replayed / r.ms) * 1000).toLocaleString('en-US')} changes/s · ${r.pages} page(s)`);
};

/** The table's rows: each size's time (10,000 within 10 s) and the growth (time per change at the largest ÷ at the smallest). */
export const shadowFigures = (rows: readonly ShadowBench[]): Figure[] => {
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const perChange = (r: ShadowBench) => r.ms / r.size;
  return [
    ...rows.map((r): Figure => ({
      area: 'shadow',
      what: `replay ${r.size.toLocaleString('en-US')} changes`,
      measured: `${fmtMs(r.ms)} · ${Math.round((r.size / r.ms) * 1000).toLocaleString('en-US')} changes/s`,
      baseline: '—',
      ...(r.size === 10_000 ? { goal: { id: 'shadowWindow' as const, value: r.ms } } : {}),
    })),
    {
      area: 'shadow',
      what: `time per change, ${last.size.toLocaleString('en-US')} vs ${first.size.toLocaleString('en-US')}`,
      measured: `${(perChange(last) * 1000).toFixed(0)} µs`,
      baseline: `${(perChange(first) * 1000).toFixed(0)} µs`,
      ratio: perChange(last) / perChange(first),
      goal: { id: 'linear', ratio: perChange(last) / perChange(first) },
    },
  ];
};
