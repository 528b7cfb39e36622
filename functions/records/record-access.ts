import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideModuleRead, decideRecordAccess, type Principal, type RecordAction } from '../../shared/domain/access/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { getModule } from '../../shared/db/modules-repo.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { refreshTeamGrants, moduleScope } from '../../shared/db/team-grants.js';
import { loadPrincipal, managerChain } from '../../shared/db/users-repo.js';
import { enforce } from '../../shared/http/context.js';
import { NotFound } from '../../shared/http/errors.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';

export interface ModuleAccess {
  principal: Principal;
  module: ModuleMetadata;
}

/**
 * The caller and the module (404 if there is none). For a team module the caller's role in the team
 * is read consistently, so a grant or a revocation holds from the next request on.
 */
export const loadModuleForCaller = async (req: OperationRequest, deps: AppDeps, moduleName: string): Promise<ModuleAccess> => {
  const [loaded, module] = await Promise.all([loadPrincipal(deps, requireAuth(req)), getModule(deps, moduleName)]);
  if (!module) throw new NotFound(`No module ${moduleName}`);
  const principal = module.ownerTeamId ? await refreshTeamGrants(deps, loaded, moduleScope(module)) : loaded;
  return { principal, module };
};

/**
 * Loads the caller and the module, and refuses (as 404 where existence must not leak) unless the
 * caller may perform `action` on the module's records at all.
 */
export const moduleAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string, action: RecordAction): Promise<ModuleAccess> => {
  const { principal, module } = await loadModuleForCaller(req, deps, moduleName);
  const notFound = `No module ${moduleName}`;
  enforce(decideModuleRead(principal, module), notFound);
  enforce(decideRecordAccess(principal, module, action), notFound);
  return { principal, module };
};

/** Record-level check (ownership and the manager chain matter for update/delete). */
export const enforceOnRecord = async (deps: AppDeps, access: ModuleAccess, action: RecordAction, record: RecordItem): Promise<void> => {
  const needsChain = action === 'update' || action === 'delete';
  const ownerManagerChain = needsChain && record.ownerId !== access.principal.userId ? await managerChain(deps, record.ownerId) : [];
  enforce(decideRecordAccess(access.principal, access.module, action, { ownerId: record.ownerId, ownerManagerChain }), `No ${access.module.name} record ${record.id}`);
};
