import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideOrgMetadataChange, isAdmin } from '../../shared/domain/access/index.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { DomainError, Invalid, NotFound } from '../../shared/domain/errors.js';
import type { JourneyDefinition } from '../../shared/domain/journey/definition.js';
import type { WorkflowRule, WorkflowRuleDefinition } from '../../shared/domain/workflow/rule.js';
import { requireDefinitionVersion } from '../../shared/db/definitions-repo.js';
import { getActiveJourney } from '../../shared/db/journeys-repo.js';
import { shadowRunKeys } from '../../shared/db/keys.js';
import { createShadowRun, getShadowRun, loadChunks, type ShadowRunItem } from '../../shared/db/shadow-runs-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { getRule } from '../../shared/db/workflow-rules-repo.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { enforceManage, validateDefinition } from '../automation/workflow-rules.js';
import { resolveApproval } from './resolve-approval.js';
import { resolveBlueprint } from './resolve-blueprint.js';
import { journeyReader, requireJourney, validateJourney } from '../journeys/definitions.js';
import { manageAccess } from '../processes/process-access.js';
import { shadowRoutes } from './routes.js';
import { cadenceCaller, checkDefinition, requireCadence } from '../cadences/cadence-access.js';
import type { CadenceDefinition } from '../../shared/domain/cadence/definition.js';
import { DEFAULT_ORG_TIME_ZONE } from '../../shared/config/cadence.js';
import type { ShadowResult, ShadowRunBody, ShadowRunView } from './schemas.js';
import { asDraft, NEW_DRAFT_ID, type Resolved } from './draft.js';

const DAY_MS = 86_400_000;

/** The window asked for, as instants: the last N days up to now, or from..to (which must not reach past now). */
const windowOf = (body: ShadowRunBody, now: Date): { from: string; to: string } => {
  if ('days' in body.window) return { from: new Date(now.getTime() - body.window.days * DAY_MS).toISOString(), to: now.toISOString() };
  const { from, to } = body.window;
  if (Date.parse(to) > now.getTime()) throw new Invalid('Invalid window', [{ path: 'window.to', message: 'The window must lie in the past (to ≤ now)' }]);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
};


/**
 * A workflow rule draft: the caller manages rules on its module (as editing it); the draft is validated
 * as PUT validates it; a saved rule it edits must be visible, and replays beside it while it is active.
 */
const resolveRule = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await getRule(deps, savedId) : undefined;
  if (savedId && !saved) throw new NotFound(`No workflow rule ${savedId}`);
  if (saved) await enforceManage(req, deps, saved.module, false);
  const draft = ('draft' in body ? body.draft : saved!) as WorkflowRuleDefinition;
  const access = await enforceManage(req, deps, draft.module, 'draft' in body);
  if ('draft' in body) await asDraft(() => validateDefinition(deps, draft, access));
  const now = deps.clock().toISOString();
  // The draft is tried whether or not it is marked active: trying it is the point.
  const rule: WorkflowRule = { ...draft, active: true, id: saved?.id ?? NEW_DRAFT_ID, version: (saved?.version ?? 0) + 1, createdBy: saved?.createdBy ?? requireAuth(req).userId, createdAt: saved?.createdAt ?? now, updatedAt: now };
  return {
    name: draft.name,
    module: draft.module,
    ...(saved ? { definitionId: saved.id } : {}),
    subject: { kind: 'workflowRule', rule },
    ...(saved?.active ? { published: { version: saved.version, subject: { kind: 'workflowRule', rule: saved } } } : {}),
  };
};

/** A journey draft: org admins (as editing journeys); validated as PUT validates it; the active version replays beside it. */
const resolveJourney = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const principal = await journeyReader(req, deps);
  enforce(decideOrgMetadataChange(principal));
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await requireJourney(deps, savedId) : undefined;
  const draft = ('draft' in body ? body.draft : saved!.definition) as JourneyDefinition;
  if ('draft' in body) await asDraft(() => validateJourney(deps, principal, draft));
  const journeyId = saved?.id ?? NEW_DRAFT_ID;
  const active = saved ? await getActiveJourney(deps, saved.id) : undefined;
  const published = active ? await requireDefinitionVersion<JourneyDefinition>(deps, 'journey', saved!.id, active.version) : undefined;
  return {
    name: draft.name,
    ...(saved ? { definitionId: saved.id } : {}),
    subject: { kind: 'journey', journeyId, definition: draft },
    ...(published ? { published: { version: published.version, subject: { kind: 'journey', journeyId, definition: published.definition } } } : {}),
  };
};

/**
 * A cadence draft: org admins (as defining cadences); validated as PUT validates it; the saved cadence
 * (its current version, while active) replays beside it, enrolling from its activation as it did live.
 */
const resolveCadence = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  await cadenceCaller(req, deps, 'define');
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await requireCadence(deps, savedId) : undefined;
  const draft = ('draft' in body ? body.draft : saved!.definition) as CadenceDefinition;
  if (saved && saved.definition.module !== draft.module) throw new Invalid('Invalid cadence', [{ path: 'draft.module', message: `This cadence is on ${saved.definition.module}` }]);
  if ('draft' in body) await asDraft(() => checkDefinition(deps, draft));
  const cadenceId = saved?.id ?? NEW_DRAFT_ID;
  // The automation area (which answers shadow runs in AWS) has no cadence ports: the default is what infra sets.
  const orgTimeZone = deps.cadence?.orgTimeZone ?? DEFAULT_ORG_TIME_ZONE;
  return {
    name: draft.name,
    ...(saved ? { definitionId: saved.id } : {}),
    subject: { kind: 'cadence', cadenceId, definition: draft, orgTimeZone },
    ...(saved?.active
      ? { published: { version: saved.version, subject: { kind: 'cadence', cadenceId, definition: saved.definition, orgTimeZone, ...(saved.activatedAt ? { enrollsFrom: saved.activatedAt } : {}) } } }
      : {}),
  };
};

const view = (run: ShadowRunItem, result?: ShadowResult): ShadowRunView => ({
  id: run.id,
  kind: run.kind,
  ...(run.definitionId ? { definitionId: run.definitionId } : {}),
  name: run.name,
  status: run.status,
  window: run.window,
  progress: { changesReplayed: run.changesReplayed, ...(run.changesTotal !== undefined ? { changesTotal: run.changesTotal } : {}) },
  createdBy: run.createdBy,
  createdAt: run.createdAt,
  updatedAt: run.updatedAt,
  ...(run.error ? { error: run.error } : {}),
  ...(result ? { result } : {}),
});

/**
 * Start a shadow run.
 * 1. Resolve the draft (sent, or a saved definition's) and the published version beside it, with the
 *    rights and validation of editing that kind (403; 400 at `draft.…`; 404 for a saved one not found).
 * 2. The window (≤ 90 days, in the past).
 * 3. Write the run's item (queued) and start its paged job; 202 with Location.
 */
export const startShadowRunOperation = implement(shadowRoutes.startShadowRun, async (req, deps) => {
  const body = req.body;
  const resolved =
    body.kind === 'workflowRule'
      ? await resolveRule(req, deps, body)
      : body.kind === 'blueprint'
        ? await resolveBlueprint(req, deps, body)
        : body.kind === 'cadence'
          ? await resolveCadence(req, deps, body)
          : body.kind === 'approvalProcess'
            ? await resolveApproval(req, deps, body)
            : await resolveJourney(req, deps, body);
  const now = deps.clock();
  const window = windowOf(body, now);
  if (!deps.shadowRuns) throw new Error('Shadow runs are not configured: no shadowRuns port');
  const run: Omit<ShadowRunItem, 'expiresAt'> = {
    id: deps.newId(),
    kind: body.kind,
    ...(resolved.definitionId ? { definitionId: resolved.definitionId } : {}),
    ...(resolved.module ? { module: resolved.module } : {}),
    name: resolved.name,
    status: 'queued',
    window,
    subject: resolved.subject,
    ...(resolved.published ? { published: resolved.published } : {}),
    cursor: window.from,
    page: 0,
    stateChunks: 0,
    resultChunks: 0,
    changesReplayed: 0,
    createdBy: requireAuth(req).userId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await createShadowRun(deps, run);
  await deps.shadowRuns.start(shadowRunKeys.executionName(run.id), { runId: run.id });
  return json(202, view(run as ShadowRunItem), { Location: `/v1/shadow-runs/${run.id}` });
});

/** Who may see a run: whoever may start one like it now (an org admin; for a rule, who manages its module). Anyone else: 404. */
const visible = async (req: OperationRequest, deps: AppDeps, run: ShadowRunItem): Promise<boolean> => {
  if (isAdmin(await loadPrincipal(deps, requireAuth(req)))) return true;
  if ((run.kind !== 'workflowRule' && run.kind !== 'blueprint' && run.kind !== 'approvalProcess') || !run.module) return false;
  const module = run.module;
  return (run.kind !== 'workflowRule' ? manageAccess(req, deps, module) : enforceManage(req, deps, module, false)).then(
    () => true,
    (error: unknown) => {
      if (error instanceof DomainError) return false;
      throw error;
    },
  );
};

/** A run: progress, then (done) its result; 404 when absent or not the caller's to see. */
export const getShadowRunOperation = implement(shadowRoutes.getShadowRun, async (req, deps) => {
  const run = await getShadowRun(deps, req.params.id);
  if (!run || !(await visible(req, deps, run))) throw new NotFound(`No shadow run ${req.params.id}`);
  const result = run.status === 'done' ? await loadChunks<ShadowResult>(deps, run.id, 'RESULT', 0, run.resultChunks) : undefined;
  return json(200, view(run, result));
});

export const shadowOperations = [startShadowRunOperation, getShadowRunOperation];
