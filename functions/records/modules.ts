import { decideModuleManage, decideModuleRead, decideOrgMetadataChange } from '../../shared/domain/access/index.js';
import { ModuleDefinitionSchema } from '../../shared/domain/records/module-definition.js';
import { createModule, listModules, updateModule } from '../../shared/db/modules-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { viewGeneration } from '../../shared/db/record-view-items.js';
import { getBackfill, toBackfillView } from '../../shared/db/view-backfill-repo.js';
import { withRequestSystemFields } from '../../shared/domain/teams/requests.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { pageSorted } from '../../shared/db/page-sorted.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { parseOrThrow } from '../../shared/http/validation.js';
import { loadModuleForCaller } from './record-access.js';
import { recordsRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid } from '../../shared/domain/errors.js';

/** Modules the caller can see: org modules for members and admins, team modules for their teams. */
/**
 * The modules the caller can see, by name, paged like every list. The modules are few (standard ones
 * and the org's custom and team modules) and read in full, then paged in memory.
 */
export const listModulesOperation = implement(recordsRoutes.listModules, async (req, deps) => {
  const [principal, modules] = await Promise.all([loadPrincipal(deps, requireAuth(req)), listModules(deps)]);
  const visible = modules.filter((m) => decideModuleRead(principal, m).allowed).map((module) => ({ id: module.name, module }));
  const page = pageSorted(visible, (m) => m.id, req.query.limit, req.query.cursor);
  return json(200, { items: page.items.map((m) => m.module), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getModuleOperation = implement(recordsRoutes.getModule, async (req, deps) => {
  const { principal, module } = await loadModuleForCaller(req, deps, req.params.module);
  enforce(decideModuleRead(principal, module), `No module ${req.params.module}`);
  return json(200, module, { ETag: etag(module.version) });
});

/** Create a custom org module (org admin). Team modules are created in their team space. */
export const createModuleOperation = implement(recordsRoutes.createModule, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  enforce(decideOrgMetadataChange(principal));
  if (req.body.ownerTeamId) {
    throw new Invalid('Team modules are created in their team space', [{ path: 'ownerTeamId', message: 'Use POST /v1/team-spaces/{id}/modules' }]);
  }
  const module = await createModule(deps, req.body, 'custom', changeContext(req, deps));
  return json(201, module, { ETag: etag(module.version), Location: `/v1/modules/${module.name}` });
});

/**
 * Replace a module's fields. Existing records keep their values; removed fields stop being accepted.
 * The new definition is a new view generation: its `module.updated` event starts the view backfill
 * (functions/events/view-backfill.ts) that counts the existing records into it.
 * Org modules: org admin. Team modules: the team's admin (CRM for Everyone's delegated administration).
 */
export const updateModuleOperation = implement(recordsRoutes.updateModule, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  // For a team module the team admin's role is read consistently: the org admin's revocation holds at once.
  const { principal, module: current } = await loadModuleForCaller(req, deps, req.params.module);
  enforce(decideModuleManage(principal, current), `No module ${req.params.module}`);
  assertIfMatch(ifMatch, current.version);
  const next = parseOrThrow(
    ModuleDefinitionSchema,
    {
      name: current.name,
      label: req.body.label ?? current.label,
      ...(current.ownerTeamId ? { ownerTeamId: current.ownerTeamId } : {}),
      // A team module keeps its request system fields (status, requester, assignee) whatever is sent.
      fields: current.kind === 'team' ? withRequestSystemFields(req.body.fields) : req.body.fields,
    },
    'module definition',
  );
  const module = await updateModule(deps, current, next, changeContext(req, deps));
  return json(200, module, { ETag: etag(module.version) });
});

/**
 * Progress of the view backfill of the module's current definition (who may change the module).
 * 1. The caller manages the module (guests and outsiders 404, members 403).
 * 2. The backfill of the current generation: its progress item, or `pending` before its first run;
 *    a module never changed has nothing to backfill (`done`).
 */
export const getViewBackfillOperation = implement(recordsRoutes.getViewBackfill, async (req, deps) => {
  const { principal, module } = await loadModuleForCaller(req, deps, req.params.module);
  enforce(decideModuleRead(principal, module), `No module ${req.params.module}`);
  enforce(decideModuleManage(principal, module), `No module ${req.params.module}`);
  const generation = viewGeneration(module);
  const progress = generation > 1 ? await getBackfill(deps, module.name, generation) : undefined;
  if (progress) return json(200, toBackfillView(progress));
  return json(200, { module: module.name, generation, status: generation > 1 ? 'pending' : 'done', processed: 0, scanned: 0 });
});
