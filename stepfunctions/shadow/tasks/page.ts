import * as z from 'zod';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { buildTimeline, type RecordHistory } from '../../../shared/domain/replay/timeline.js';
import type { ShadowChange } from '../../../shared/domain/shadow/change.js';
import { approvalTeams, emptyDirectory, type ShadowDirectory } from '../../../shared/domain/shadow/approval.js';
import { replay, shadowResult, startReplay, type ReplayState, type ShadowSubject } from '../../../shared/domain/shadow/engine.js';
import type { HistoryItem } from '../../../shared/db/history.js';
import { listModules } from '../../../shared/db/modules-repo.js';
import { loadDirectory } from '../../../shared/db/people.js';
import { advanceShadowRun, countHistory, dropChunks, getShadowRun, historyOfDay, loadChunks, saveChunks, type ShadowRunItem } from '../../../shared/db/shadow-runs-repo.js';
import { lazySchema } from '../../../shared/domain/lazy-schema.js';

/** A page replays whole days until it has replayed this many changes (or spent its time budget). */
export const PAGE_CHANGES = 20_000;
/** A page stops starting new days after this long (the Lambda has 5 minutes). */
export const PAGE_BUDGET_MS = 60_000;

export const ShadowPageInput = lazySchema(() => z.object({ runId: z.string().min(1).max(64) }));
export const ShadowFailedInput = lazySchema(() => ShadowPageInput.extend({ error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).loose().optional() }));

interface SavedState {
  draft: ReplayState;
  published?: ReplayState;
}

type Loose = Record<string, unknown> | undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * A history entry as the engine reads it (what the live consumers get from the bus): the record after
 * the change, its changes and depth, and the customer records its lookup fields name (journeys follow
 * a customer across them, as the journey router does).
 */
export const toShadowChange = (item: HistoryItem, modules: ReadonlyMap<string, ModuleMetadata>, directory: ShadowDirectory = emptyDirectory()): ShadowChange => {
  const data = (item.data ?? {}) as Record<string, unknown>;
  const record = data.record as Loose;
  const fields = ((record?.fields as Loose) ?? {}) as Record<string, unknown>;
  const named = data.record as { module?: string; id?: string } | undefined;
  const module = text(data.module) ?? text(item.subject.module) ?? text(named?.module) ?? item.subject.type;
  const recordId = text(data.recordId) ?? (item.subject.type === 'record' ? item.subject.id : (text(named?.id) ?? item.subject.id));
  const links = (modules.get(module)?.fields ?? []).filter((f) => f.type === 'lookup' && (f.lookupModule === 'Leads' || f.lookupModule === 'Contacts')).map((f) => fields[f.name]);
  const contactId = text((data.conversion as Loose)?.contactId);
  return {
    eventId: item.eventId,
    event: item.eventName,
    at: item.occurredAt,
    module,
    recordId,
    fields,
    changes: Array.isArray(data.changes) ? (data.changes as ShadowChange['changes']) : item.changes,
    depth: item.depth ?? 0,
    actor: item.actor,
    // Their role as the directory read for the page knows it (absent: not in it, or no directory read; the replayer then reads them as the live trigger does: a guest).
    ...(directory.users[item.actor] ? { actorRole: directory.users[item.actor]!.orgRole } : {}),
    ...(item.automation ? { automation: { kind: item.automation.kind, id: item.automation.id } } : {}),
    ...(contactId ? { convertedTo: contactId } : {}),
    customers: links.filter((v): v is string => typeof v === 'string' && v !== ''),
    data: item.data,
  };
};

/**
 * One day's entries in the order the console's replay shows them (shared/domain/replay/timeline.ts): by
 * time, a record's creation before anything stamped earlier on it, one command's entries together.
 */
export const inReplayOrder = (items: readonly HistoryItem[]): HistoryItem[] => {
  const bySubject = new Map<string, { history: RecordHistory; items: Map<string, HistoryItem> }>();
  for (const item of items) {
    const group = bySubject.get(item.PK) ?? { history: { module: item.subject.module ?? item.subject.type, id: item.PK, history: [] as RecordHistory['history'] }, items: new Map<string, HistoryItem>() };
    group.history.history.push({ id: item.eventId, event: item.eventName, actor: item.actor, via: item.via, changes: item.changes, occurredAt: item.occurredAt, correlationId: item.correlationId });
    group.items.set(item.eventId, item);
    bySubject.set(item.PK, group);
  }
  const ordered: HistoryItem[] = [];
  for (const step of buildTimeline([...bySubject.values()].map((g) => g.history), [])) {
    if (step.kind !== 'record') continue;
    const group = bySubject.get(step.recordId)!;
    for (const entry of step.entries) ordered.push({ ...group.items.get(entry.id)!, occurredAt: entry.occurredAt });
  }
  return ordered;
};

/** The directory a page reads once (not per change), when an approval process is under trial; other kinds need none. */
const directoryFor = async (deps: AppDeps, subjects: readonly ShadowSubject[]): Promise<ShadowDirectory> => {
  const approvals = subjects.filter((s) => s.kind === 'approvalProcess');
  return approvals.length === 0 ? emptyDirectory() : loadDirectory(deps, [...new Set(approvals.flatMap(approvalTeams))]);
};

const nextDay = (iso: string): string => new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString();

const failed = (deps: AppDeps, run: ShadowRunItem, detail: string) =>
  advanceShadowRun(deps, run.id, run.page, { status: 'failed', error: { title: 'The shadow run failed', detail }, updatedAt: deps.clock().toISOString() });

/**
 * One page of a shadow run (the state machine calls it until it answers `done`).
 * 1. Read the run (consistently); a finished run is done.
 * 2. Resume the saved replay state of the last page (a fresh one on the first page, which also counts the window).
 * 3. Replay whole days from the cursor, in order, through the engine (the draft, and the published
 *    version beside it), until PAGE_CHANGES or PAGE_BUDGET_MS.
 * 4. Window replayed: save the result and mark the run done. Otherwise save the state as the next
 *    generation and move the run on, conditionally on the page it read (a retried page changes nothing twice).
 * Writes only the run's own items.
 */
export const runShadowPage = async (deps: AppDeps, rawInput: unknown): Promise<{ runId: string; done: boolean }> => {
  const { runId } = ShadowPageInput.parse(rawInput);
  const run = await getShadowRun(deps, runId, true);
  if (!run || run.status === 'done' || run.status === 'failed') return { runId, done: true };
  const subject = run.subject as ShadowSubject;
  const published = run.published ? (run.published.subject as ShadowSubject) : undefined;
  const state: SavedState =
    run.page === 0 ? { draft: startReplay(subject), ...(published ? { published: startReplay(published) } : {}) } : await loadChunks<SavedState>(deps, run.id, 'STATE', run.page, run.stateChunks);
  const changesTotal = run.changesTotal ?? (await countHistory(deps, run.window.from, run.window.to));
  const modules = new Map((await listModules(deps)).map((m) => [m.name, m]));
  const directory = await directoryFor(deps, published ? [subject, published] : [subject]);
  const started = Date.now();
  let cursor = run.cursor;
  let replayed = 0;
  while (cursor < run.window.to && replayed < PAGE_CHANGES && Date.now() - started < PAGE_BUDGET_MS) {
    const end = nextDay(cursor) < run.window.to ? nextDay(cursor) : run.window.to;
    const changes = inReplayOrder(await historyOfDay(deps, cursor.slice(0, 10), cursor, end)).map((item) => toShadowChange(item, modules, directory));
    replay(subject, state.draft, changes, directory);
    if (published && state.published) replay(published, state.published, changes, directory);
    replayed += changes.length;
    cursor = end;
  }
  const now = deps.clock().toISOString();
  const changesReplayed = run.changesReplayed + replayed;
  if (cursor >= run.window.to) {
    let result;
    try {
      result = shadowResult({ subject, state: state.draft }, published && state.published ? { subject: published, state: state.published, version: run.published!.version } : undefined, run.window.to);
    } catch (error) {
      await failed(deps, run, error instanceof Error ? error.message : String(error));
      return { runId, done: true };
    }
    const resultChunks = await saveChunks(deps, run, 'RESULT', 0, result);
    await advanceShadowRun(deps, run.id, run.page, { status: 'done', cursor, page: run.page + 1, resultChunks, changesReplayed, changesTotal, updatedAt: now });
    if (run.page > 0) await dropChunks(deps, run.id, 'STATE', run.page, run.stateChunks);
    return { runId, done: true };
  }
  const stateChunks = await saveChunks(deps, run, 'STATE', run.page + 1, state);
  const moved = await advanceShadowRun(deps, run.id, run.page, { status: 'running', cursor, page: run.page + 1, stateChunks, changesReplayed, changesTotal, updatedAt: now });
  if (moved && run.page > 0) await dropChunks(deps, run.id, 'STATE', run.page, run.stateChunks);
  return { runId, done: false };
};

/** The state machine's catch: a page that still fails after its retries marks the run failed (nothing internal is shown). */
export const markShadowRunFailed = async (deps: AppDeps, rawInput: unknown): Promise<{ runId: string; done: true }> => {
  const { runId } = ShadowFailedInput.parse(rawInput);
  const run = await getShadowRun(deps, runId, true);
  if (run && run.status !== 'done' && run.status !== 'failed') await failed(deps, run, 'Replaying the window failed after retries; try again, or a shorter window');
  return { runId, done: true };
};

/** The page Lambda's one entry: a page, or (from the state machine's catch) marking the run failed. */
export const shadowTask = (deps: AppDeps, input: unknown) =>
  typeof input === 'object' && input !== null && (input as { failed?: unknown }).failed === true ? markShadowRunFailed(deps, input) : runShadowPage(deps, input);
