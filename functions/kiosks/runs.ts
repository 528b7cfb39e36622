import type { AppDeps } from '../../shared/adapters/deps.js';
import { businessMetric } from '../../shared/adapters/metrics.js';
import type { KioskDefinition } from '../../shared/domain/kiosk/definition.js';
import { RunTooLong, recordResult, renderKioskScreen, resolveAction, settle, startRun, submitKioskScreen, type KioskRunState, type KioskStep } from '../../shared/domain/kiosk/run.js';
import { ScreenNotCurrent } from '../../shared/domain/wizard/session.js';
import { requireDefinitionVersion, type StoredDefinition } from '../../shared/db/definitions-repo.js';
import { advanceFlow, requireOwnFlow, saveFlow, type ScreenFlow } from '../../shared/db/screen-flows-repo.js';
import { newRecordPartitions, recordPartitionsIn } from '../../shared/db/quotes.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext } from '../../shared/http/context.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { requireRunnableKiosk } from './definitions.js';
import { executeKioskAction } from './kiosk-actions.js';
import { kiosksRoutes } from './routes.js';
import type { KioskRunView } from './schemas.js';
import { Invalid, Conflict, Unprocessable } from '../../shared/domain/errors.js';

/** A run lives a day after its last step. */
export const RUN_TTL_SECONDS = 24 * 60 * 60;

type Run = ScreenFlow<KioskRunState>;
type Settled = { state: KioskRunState; step: Extract<KioskStep, { kind: 'screen' | 'end' }> };

const view = (run: Run, def: KioskDefinition, at: Settled): KioskRunView => ({
  runId: run.id,
  kioskId: run.definitionId,
  kioskVersion: run.definitionVersion,
  done: at.step.kind === 'end',
  ...(at.step.kind === 'screen' ? { screen: renderKioskScreen(at.step.node, at.state) } : { result: at.step.result }),
  expiresAt: new Date(run.expiresAt * 1000).toISOString(),
});

/**
 * Moves the run on from where it stands: decisions are taken, and each action is carried out as the
 * user (its result known to later nodes), until the run waits on a screen or ends. Nothing of the run
 * is saved here: a submit that fails half-way leaves the run on its screen, and what its actions did is
 * safe to do again (updates are idempotent, created records and notifications are keyed by (run, step)).
 */
const runOn = async (req: OperationRequest, deps: AppDeps, runId: string, stored: StoredDefinition<KioskDefinition>, from: KioskRunState): Promise<Settled> => {
  const given = req.headers['x-change-reason']?.trim();
  const ctx = changeContext(req, deps, 'kiosk', given || `Kiosk "${stored.name}"`);
  const checked = new Map();
  try {
    let at = settle(stored.definition, from, deps.clock());
    while (at.step.kind === 'action') {
      const node = at.step.node;
      const result = await executeKioskAction({ req, deps, ctx, runId, nodeId: node.id, step: at.state.path.length, checked }, resolveAction(node.action, at.state));
      at = settle(stored.definition, recordResult(at.state, node, result), deps.clock());
    }
    return at as Settled;
  } catch (error) {
    if (error instanceof RunTooLong) throw new Unprocessable(error.message);
    throw error;
  }
};

/**
 * Start a run.
 * 1. The caller may run the kiosk (404 otherwise: who may run it is part of its definition).
 * 2. The run starts on the current version, moves to its first screen, and is saved as the caller's.
 */
export const startRunOperation = implement(kiosksRoutes.startRun, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  const stored = await requireRunnableKiosk(deps, principal, req.params.id);
  const now = deps.clock();
  const runId = deps.newId();
  const at = await runOn(req, deps, runId, stored, startRun(stored.definition));
  const run = await saveFlow(deps, {
    kind: 'kiosk',
    id: runId,
    userId: principal.userId,
    definitionId: stored.id,
    definitionVersion: stored.version,
    status: at.step.kind === 'end' ? 'finished' : 'active',
    state: at.state,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + RUN_TTL_SECONDS,
  }, recordPartitionsIn(at.state));
  if (run.status === 'finished') businessMetric('KioskRunsCompleted');
  return json(201, view(run, stored.definition, at), { Location: `/v1/kiosk-runs/${run.id}` });
});

const loadRun = async (req: OperationRequest, deps: AppDeps, runId: string) => {
  const run = await requireOwnFlow<KioskRunState>(deps, 'kiosk', runId, requireAuth(req).userId);
  const stored = await requireDefinitionVersion<KioskDefinition>(deps, 'kiosk', run.definitionId, run.definitionVersion);
  return { run, stored, at: settle(stored.definition, run.state, deps.clock()) as Settled };
};

export const getRunOperation = implement(kiosksRoutes.getRun, async (req, deps) => {
  const { run, stored, at } = await loadRun(req, deps, req.params.runId);
  return json(200, view(run, stored.definition, at));
});

/**
 * Answer the run's current screen.
 * 1. The caller's own run (404 otherwise), not yet done, and the screen it waits on (409 otherwise).
 * 2. The values are validated (400 at `values.<id>`); the caller must still be allowed to run the kiosk.
 * 3. The run moves on through decisions and actions to its next screen or its end, and is saved
 *    (a concurrent submit of the same run gets 409).
 */
export const submitOperation = implement(kiosksRoutes.submit, async (req, deps) => {
  const { run, stored, at } = await loadRun(req, deps, req.params.runId);
  if (at.step.kind === 'end') throw new Conflict('This run is done: start a new one');
  await requireRunnableKiosk(deps, await loadPrincipal(deps, requireAuth(req)), run.definitionId);
  let outcome;
  try {
    outcome = submitKioskScreen(at.step.node, at.state, req.body.screenId, req.body.values, deps.defaultPhoneRegion);
  } catch (error) {
    if (error instanceof ScreenNotCurrent) throw new Conflict(error.message);
    throw error;
  }
  if ('errors' in outcome) throw new Invalid('Invalid values on this screen', outcome.errors);
  const next = await runOn(req, deps, run.id, stored, outcome.state);
  // The records the run loaded are copied into its state: each is quoted once (shared/db/quotes.ts).
  const saved = await saveFlow(deps, advanceFlow(deps, run, { state: next.state, status: next.step.kind === 'end' ? 'finished' : 'active', ttlSeconds: RUN_TTL_SECONDS }), newRecordPartitions(run.state, next.state));
  if (saved.status === 'finished') businessMetric('KioskRunsCompleted');
  return json(200, view(saved, stored.definition, next));
});
