import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideModuleRead, decideOrgMetadataChange, type Principal } from '../../shared/domain/access/index.js';
import type { JourneyDefinition } from '../../shared/domain/journey/definition.js';
import { validateJourneyDefinition } from '../../shared/domain/journey/engine.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { listDefinitions, requireDefinition, saveDefinition, type StoredDefinition } from '../../shared/db/definitions-repo.js';
import { deleteActiveJourney, getActiveJourney, listActiveJourneys, putActiveJourney, type ActiveJourney } from '../../shared/db/journeys-repo.js';
import { listModules } from '../../shared/db/modules-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { cadenceActionErrors } from './cadences.js';
import { journeysRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

/** Members and admins read journeys, reports and paths; guests do not see them (404). */
export const journeyReader = async (req: OperationRequest, deps: AppDeps): Promise<Principal> => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  if (principal.orgRole === 'guest' && !principal.isOrgAdmin) throw new NotFound('No journeys');
  return principal;
};

const journeyAdmin = async (req: OperationRequest, deps: AppDeps): Promise<Principal> => {
  const principal = await journeyReader(req, deps);
  enforce(decideOrgMetadataChange(principal));
  return principal;
};

export const journeyView = (stored: StoredDefinition<JourneyDefinition>, active: ActiveJourney | undefined) => ({
  id: stored.id,
  name: stored.name,
  version: stored.version,
  active: Boolean(active),
  ...(active ? { activeVersion: active.version } : {}),
  definition: stored.definition,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
});

/** Validation at save: the engine's checks against the modules as they are now, and the cadences its steps name. */
export const validateJourney = async (deps: AppDeps, principal: Principal, def: JourneyDefinition): Promise<void> => {
  const modules = new Map<string, ModuleMetadata>((await listModules(deps)).filter((m) => decideModuleRead(principal, m).allowed).map((m) => [m.name, m]));
  const errors = [...validateJourneyDefinition(def, (name) => modules.get(name), deps.defaultPhoneRegion), ...(await cadenceActionErrors(deps, def.states))];
  if (errors.length > 0) throw new Invalid('Invalid journey definition', errors);
};

export const requireJourney = (deps: AppDeps, id: string) => requireDefinition<JourneyDefinition>(deps, 'journey', id);

/**
 * Define a journey.
 * 1. Org admin only. 2. Validate (schema, then states, transitions, modules, fields and actions: 400 with paths).
 * 3. Save version 1 (inactive).
 */
export const createJourneyOperation = implement(journeysRoutes.createJourney, async (req, deps) => {
  const principal = await journeyAdmin(req, deps);
  await validateJourney(deps, principal, req.body);
  const stored = await saveDefinition(deps, 'journey', deps.newId(), req.body, undefined, changeContext(req, deps));
  return json(201, journeyView(stored, undefined), { ETag: etag(stored.version), Location: `/v1/journeys/${stored.id}` });
});

/** Journeys by name, with their active flags (one Query of the active list). */
export const listJourneysOperation = implement(journeysRoutes.listJourneys, async (req, deps) => {
  await journeyReader(req, deps);
  const [page, active] = await Promise.all([listDefinitions<JourneyDefinition>(deps, 'journey', req.query.limit, req.query.cursor), listActiveJourneys(deps)]);
  const byId = new Map(active.map((a) => [a.journeyId, a]));
  return json(200, { items: page.items.map((s) => journeyView(s, byId.get(s.id))), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getJourneyOperation = implement(journeysRoutes.getJourney, async (req, deps) => {
  await journeyReader(req, deps);
  const [stored, active] = await Promise.all([requireJourney(deps, req.params.id), getActiveJourney(deps, req.params.id)]);
  return json(200, journeyView(stored, active), { ETag: etag(stored.version) });
});

/**
 * Save a new version.
 * 1. Org admin. 2. If-Match against the latest version (412). 3. Validate. 4. Save; an active journey
 * starts new instances on the new version (running ones keep theirs).
 */
export const updateJourneyOperation = implement(journeysRoutes.updateJourney, async (req, deps) => {
  const principal = await journeyAdmin(req, deps);
  const previous = await requireJourney(deps, req.params.id);
  const expected = parseIfMatch(req.headers['if-match']);
  assertIfMatch(expected, previous.version);
  await validateJourney(deps, principal, req.body);
  const stored = await saveDefinition(deps, 'journey', previous.id, req.body, previous, changeContext(req, deps));
  let active = await getActiveJourney(deps, stored.id);
  if (active) {
    active = { ...active, journeyId: stored.id, version: stored.version, name: stored.name };
    await putActiveJourney(deps, active);
  }
  return json(200, journeyView(stored, active), { ETag: etag(stored.version) });
});

/** Activate: new records of the first module start instances on the latest version; existing instances move again. */
export const activateJourneyOperation = implement(journeysRoutes.activateJourney, async (req, deps) => {
  await journeyAdmin(req, deps);
  const stored = await requireJourney(deps, req.params.id);
  const current = await getActiveJourney(deps, stored.id);
  // Activating an active journey again keeps its start: only a real activation moves the bound.
  const active = { journeyId: stored.id, version: stored.version, name: stored.name, activatedAt: current?.activatedAt ?? deps.clock().toISOString() };
  await putActiveJourney(deps, active);
  return json(200, journeyView(stored, active), { ETag: etag(stored.version) });
});

/** Deactivate: no new instances, and events no longer move the existing ones (their history stays). */
export const deactivateJourneyOperation = implement(journeysRoutes.deactivateJourney, async (req, deps) => {
  await journeyAdmin(req, deps);
  const stored = await requireJourney(deps, req.params.id);
  await deleteActiveJourney(deps, stored.id);
  return json(200, journeyView(stored, undefined), { ETag: etag(stored.version) });
});
