import type { AppDeps } from '../../shared/adapters/deps.js';
import { businessMetric } from '../../shared/adapters/metrics.js';
import type { KioskDefinition } from '../../shared/domain/kiosk/definition.js';
import { stretchNeeds, usesFoundRecords } from '../../shared/domain/kiosk/lookahead.js';
import { composeRunId, runIdHint } from '../../shared/domain/kiosk/run-id.js';
import { RunTooLong, recordResult, renderKioskScreen, resolveAction, settle, startRun, submitKioskScreen, type KioskRunState, type KioskStep } from '../../shared/domain/kiosk/run.js';
import { ScreenNotCurrent } from '../../shared/domain/wizard/session.js';
import { retrier, OPTIMISTIC_WRITE_BUDGET } from '../../shared/db/backoff.js';
import { definitionFromItem, knownDefinitionVersion, requireDefinitionVersion, type StoredDefinition } from '../../shared/db/definitions-repo.js';
import { definitionKeys, recordKeys, screenFlowKeys, type Key } from '../../shared/db/keys.js';
import { KioskReads } from '../../shared/db/kiosk-reads.js';
import { KioskWrites, StaleStep } from '../../shared/db/kiosk-writes.js';
import { advanceFlow, flowMoved, flowPut, ownFlowFromItem, type ScreenFlow } from '../../shared/db/screen-flows-repo.js';
import { newRecordPartitions, recordPartitionsIn } from '../../shared/db/quotes.js';
import { changeContext } from '../../shared/http/context.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { mayRun } from './definitions.js';
import { executeKioskAction, readFoundRecords, type PendingFind } from './kiosk-actions.js';
import { kiosksRoutes } from './routes.js';
import type { KioskRunView, SubmitKioskScreen } from './schemas.js';
import { Invalid, Conflict, NotFound, Unprocessable } from '../../shared/domain/errors.js';

/** A run lives a day after its last step. */
export const RUN_TTL_SECONDS = 24 * 60 * 60;

type Run = ScreenFlow<KioskRunState>;
type Settled = { state: KioskRunState; step: Extract<KioskStep, { kind: 'screen' | 'end' }> };

/** One request's reads and writes (kiosk-reads.ts, kiosk-writes.ts); `retried`: an earlier attempt of this request may have written. */
interface Unit {
  reads: KioskReads;
  writes: KioskWrites;
  retried: boolean;
}

const newUnit = (req: OperationRequest, deps: AppDeps, retried = false): Unit => ({ reads: new KioskReads(deps, requireAuth(req)), writes: new KioskWrites(deps), retried });

const view = (run: Run, at: Settled): KioskRunView => ({
  runId: run.id,
  kioskId: run.definitionId,
  kioskVersion: run.definitionVersion,
  done: at.step.kind === 'end',
  ...(at.step.kind === 'screen' ? { screen: renderKioskScreen(at.step.node, at.state) } : { result: at.step.result }),
  expiresAt: new Date(run.expiresAt * 1000).toISOString(),
});

/** The keys of what the actions after `from` will touch, as far as `context` tells (a prefetch). */
const neededBy = (def: KioskDefinition, from: string, context: Pick<KioskRunState, 'values' | 'results'>) => {
  const needs = stretchNeeds(def, from, context);
  return { needs: { modules: needs.modules, written: needs.written }, records: needs.records.map((r) => recordKeys.key(r.module, r.id)) };
};

/**
 * Moves the run on from where it stands: decisions are taken, and each action is carried out as the
 * user (its result known to later nodes), until the run waits on a screen or ends. What the actions
 * will touch, as far as the run tells, is read first in one batch; their writes are planned into the
 * unit's one transaction, which the caller commits with the run.
 */
const runOn = async (req: OperationRequest, deps: AppDeps, unit: Unit, runId: string, stored: StoredDefinition<KioskDefinition>, from: KioskRunState): Promise<Settled> => {
  const given = req.headers['x-change-reason']?.trim();
  const ctx = changeContext(req, deps, 'kiosk', given || `Kiosk "${stored.name}"`);
  const ahead = neededBy(stored.definition, from.nodeId, from);
  await unit.reads.loadFor(ahead.needs, ahead.records);
  try {
    const found = new Map<string, PendingFind>();
    const withFound = async (state: KioskRunState): Promise<KioskRunState> => ({ ...state, results: await readFoundRecords(unit.reads, found, state.results) });
    let at = settle(stored.definition, from, deps.clock());
    while (at.step.kind === 'action') {
      const node = at.step.node;
      const scope = { deps, ctx, runId, nodeId: node.id, step: at.state.path.length, reads: unit.reads, writes: unit.writes, found, mayHaveWritten: unit.retried || unit.writes.flushed };
      const state = recordResult(at.state, node, await executeKioskAction(scope, resolveAction(node.action, at.state)));
      // A find's records are read with the next find's (one batch), unless what comes next uses them.
      at = settle(stored.definition, usesFoundRecords(stored.definition, node.next, new Set(found.keys())) ? await withFound(state) : state, deps.clock());
    }
    // The screen or end shows (and the run keeps) every record found: read before it is rendered.
    if (found.size > 0) at = settle(stored.definition, await withFound(at.state), deps.clock());
    return at as Settled;
  } catch (error) {
    if (error instanceof RunTooLong) throw new Unprocessable(error.message);
    throw error;
  }
};

/**
 * The kiosk's current version if the caller may run it, else 404 (who may run it is part of its
 * definition): read with the caller (403 if not in the directory) in the unit's batch; the caller's
 * membership of the runner teams is read only when it decides.
 */
const runnableKiosk = async (unit: Unit, deps: AppDeps, kioskId: string): Promise<StoredDefinition<KioskDefinition>> => {
  const current = definitionKeys.current('kiosk', kioskId);
  await unit.reads.loadFor({}, [current]);
  const principal = unit.reads.principal();
  const item = unit.reads.item(current);
  if (!item) throw new NotFound(`No kiosk ${kioskId}`);
  const stored = definitionFromItem<KioskDefinition>(deps, item);
  if (!mayRun(principal, stored.definition) && stored.definition.runners.teams.length > 0) await unit.reads.loadFor({ teams: stored.definition.runners.teams });
  if (!mayRun(unit.reads.principal(), stored.definition)) throw new NotFound(`No kiosk ${kioskId}`);
  return stored;
};

/** Writes the run with every write its actions planned, in one transaction (a concurrent submit of the same run: 409). */
const commitRun = async (deps: AppDeps, unit: Unit, run: Run, quoted: readonly string[]): Promise<Run> => {
  await unit.writes.commit({ put: flowPut(deps, run), moved: () => flowMoved('kiosk'), quotes: { subjects: quoted, target: { PK: screenFlowKeys.key('kiosk', run.id).PK } } });
  if (run.status === 'finished') businessMetric('KioskRunsCompleted');
  return run;
};

/**
 * Start a run.
 * 1. One round trip reads the caller and the kiosk's current version: the caller may run it (404 otherwise).
 * 2. The run starts on that version and moves to its first screen (actions before it run as the caller).
 * 3. One transaction saves the run as the caller's with what its actions wrote. Its id names the
 *    kiosk version, so a submit reads what that version needs with the run (run-id.ts).
 */
export const startRunOperation = implement(kiosksRoutes.startRun, async (req, deps) => {
  const unit = newUnit(req, deps);
  const stored = await runnableKiosk(unit, deps, req.params.id);
  const now = deps.clock();
  const runId = composeRunId(deps.newId(), stored.id, stored.version);
  const at = await runOn(req, deps, unit, runId, stored, startRun(stored.definition));
  const run = await commitRun(deps, unit, {
    kind: 'kiosk',
    id: runId,
    userId: requireAuth(req).userId,
    definitionId: stored.id,
    definitionVersion: stored.version,
    status: at.step.kind === 'end' ? 'finished' : 'active',
    state: at.state,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + RUN_TTL_SECONDS,
  }, recordPartitionsIn(at.state));
  return json(201, view(run, at), { Location: `/v1/kiosk-runs/${run.id}` });
});

/**
 * The caller's own run (404 otherwise) and the version it runs, read in one batch with `more`: the
 * version comes from the container's cache when the run's id names one this container has read.
 * A run whose id names no version (or another than its own) reads its version after.
 */
const loadRun = async (unit: Unit, deps: AppDeps, userId: string, runId: string, more: (def: KioskDefinition | undefined) => readonly Key[] = () => []) => {
  const runKey = screenFlowKeys.key('kiosk', runId);
  const hint = runIdHint(runId);
  const cached = hint ? knownDefinitionVersion<KioskDefinition>(deps, 'kiosk', hint.kioskId, hint.version) : undefined;
  const versionKey = hint && !cached ? definitionKeys.version('kiosk', hint.kioskId, hint.version) : undefined;
  await unit.reads.load([runKey, versionKey, ...more(cached?.definition)]);
  const run = ownFlowFromItem<KioskRunState>(deps, 'kiosk', runId, userId, unit.reads.item(runKey));
  const named = hint?.kioskId === run.definitionId && hint.version === run.definitionVersion;
  const versionItem = named && versionKey ? unit.reads.item(versionKey) : undefined;
  const stored = named && cached ? cached : versionItem ? definitionFromItem<KioskDefinition>(deps, versionItem) : await requireDefinitionVersion<KioskDefinition>(deps, 'kiosk', run.definitionId, run.definitionVersion);
  return { run, stored, at: settle(stored.definition, run.state, deps.clock()) as Settled };
};

export const getRunOperation = implement(kiosksRoutes.getRun, async (req, deps) => {
  const { run, at } = await loadRun(newUnit(req, deps), deps, requireAuth(req).userId, req.params.runId);
  return json(200, view(run, at));
});

/**
 * What a submit reads in its first round trip besides the run: the caller, the kiosk's current version
 * (who may run it) and, when the run's version is known, what the actions after the answered screen
 * touch as far as the answers tell (modules, process states, records the answers name, runner teams).
 */
const firstBatch = (unit: Unit, runId: string, body: SubmitKioskScreen) => (def: KioskDefinition | undefined): Key[] => {
  const hint = runIdHint(runId);
  if (!hint) return [];
  const screen = def?.nodes.find((n) => n.id === body.screenId && n.kind === 'screen');
  const ahead = def && screen && screen.kind === 'screen' ? neededBy(def, screen.next, { values: body.values, results: {} }) : undefined;
  return [definitionKeys.current('kiosk', hint.kioskId), ...unit.reads.keysFor({ ...ahead?.needs, teams: def?.runners.teams ?? [] }), ...(ahead?.records ?? [])];
};

/**
 * One attempt at a submit; every read is fresh and nothing is written unless all of it is.
 * 1. One round trip: the caller's own run (404 otherwise), the caller, the kiosk's current version, and
 *    what the answered screen's next actions touch (see firstBatch).
 * 2. The run is not done, and waits on this screen (409 otherwise); the values are validated (400 at
 *    `values.<id>`); the caller must still be allowed to run the kiosk.
 * 3. The run moves on through decisions and actions to its next screen or its end; a read each time an
 *    action needs what an earlier one found.
 * 4. One transaction: the run (a concurrent submit of the same run gets 409), its actions' writes, the
 *    quotes of the records it now copies.
 */
const submitOnce = async (req: OperationRequest<{ runId: string }, unknown, SubmitKioskScreen>, deps: AppDeps, retried: boolean) => {
  const unit = newUnit(req, deps, retried);
  const { run, stored, at } = await loadRun(unit, deps, requireAuth(req).userId, req.params.runId, firstBatch(unit, req.params.runId, req.body));
  if (at.step.kind === 'end') throw new Conflict('This run is done: start a new one');
  await runnableKiosk(unit, deps, run.definitionId);
  let outcome;
  try {
    outcome = submitKioskScreen(at.step.node, at.state, req.body.screenId, req.body.values, deps.defaultPhoneRegion);
  } catch (error) {
    if (error instanceof ScreenNotCurrent) throw new Conflict(error.message);
    throw error;
  }
  if ('errors' in outcome) throw new Invalid('Invalid values on this screen', outcome.errors);
  const next = await runOn(req, deps, unit, run.id, stored, outcome.state);
  // The records the run loaded are copied into its state: each is quoted once (shared/db/quotes.ts).
  const saved = advanceFlow(deps, run, { state: next.state, status: next.step.kind === 'end' ? 'finished' : 'active', ttlSeconds: RUN_TTL_SECONDS });
  return view(await commitRun(deps, unit, saved, newRecordPartitions(run.state, next.state)), next);
};

/** Runs a submit again, from fresh reads, when a record it read changed before its transaction (no update is lost); 409 when that keeps happening. */
const withFreshReads = async <T>(attempt: (retried: boolean) => Promise<T>): Promise<T> => {
  const retries = retrier(OPTIMISTIC_WRITE_BUDGET);
  for (let retried = false; ; retried = true) {
    try {
      return await attempt(retried);
    } catch (error) {
      if (!(error instanceof StaleStep)) throw error;
      if (!(await retries.retry())) throw new Conflict('The records this kiosk step changes are being changed by many others at once; try again');
    }
  }
};

/** Answer the run's current screen (see submitOnce); a step whose records changed under it is run again. */
export const submitOperation = implement(kiosksRoutes.submit, async (req, deps) => json(200, await withFreshReads((retried) => submitOnce(req, deps, retried))));
