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
 * Loads the caller and the module, and refuses (as 404 where existence must not leak) unless the
 * caller may perform `action` on the module's records at all.
 */
export const moduleAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string, action: RecordAction): Promise<ModuleAccess> => {
  const [loaded, module] = await Promise.all([loadPrincipal(deps, requireAuth(req)), getModule(deps, moduleName)]);
  const notFound = `No module ${moduleName}`;
  if (!module) throw new NotFound(notFound);
  // Team modules: the caller's role in the team is read consistently, so a revocation holds at once.
  const principal = module.ownerTeamId ? await refreshTeamGrants(deps, loaded, moduleScope(module)) : loaded;
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
