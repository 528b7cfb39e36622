import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideModuleRead, decideRecordAccess, type Principal, type RecordAction } from '../../shared/domain/access/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { loadAccessContext, type Item } from '../../shared/db/access-context.js';
import type { Key } from '../../shared/db/keys.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { assertInDirectory, managerChain } from '../../shared/db/users-repo.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface ModuleAccess {
  principal: Principal;
  module: ModuleMetadata;
  /** For writes: the module's process state, read in the same round trip (the records core's write guards). */
  processes?: ModuleProcesses;
}

export interface RecordAccess extends ModuleAccess {
  record: RecordItem;
}

/**
 * The caller and the module (404 if there is none), in one round trip (see loadAccessContext): for a
 * team module the caller's role in the team is read consistently, so a grant or a revocation holds
 * from the next request on. A caller who is not in the directory gets 403.
 */
export const loadModuleForCaller = async (req: OperationRequest, deps: AppDeps, moduleName: string): Promise<ModuleAccess> => {
  const { principal, module } = await loadAccessContext(deps, requireAuth(req), moduleName);
  if (!module) throw new NotFound(`No module ${moduleName}`);
  return { principal, module };
};

/** Refuses (as 404 where existence must not leak) unless the caller may perform `action` on the module's records at all. */
export const enforceOnModule = (principal: Principal, module: ModuleMetadata | undefined, moduleName: string, action: RecordAction): ModuleMetadata => {
  const notFound = `No module ${moduleName}`;
  if (!module) throw new NotFound(notFound);
  enforce(decideModuleRead(principal, module), notFound);
  enforce(decideRecordAccess(principal, module, action), notFound);
  return module;
};

/** Loads the caller and the module (one round trip) and checks that `action` is open to them on this module. */
export const moduleAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string, action: RecordAction): Promise<ModuleAccess> => {
  const { principal, module, processes } = await loadAccessContext(deps, requireAuth(req), moduleName, undefined, { processes: action === 'create' });
  return { principal, module: enforceOnModule(principal, module, moduleName, action), ...(processes ? { processes } : {}) };
};

/**
 * moduleAccess plus the record, read in the same round trip (404 if absent). The record-level rule is
 * not applied here: reads call enforceOnRecord next, writes run it among their pre-write checks (on
 * every version a retry reads).
 */
export const moduleAccessWithRecord = async (req: OperationRequest, deps: AppDeps, moduleName: string, id: string, action: RecordAction): Promise<RecordAccess> => {
  const access = await moduleAccessMaybeRecord(req, deps, moduleName, id, action);
  if (!access.record) throw new NotFound(`No ${access.module.name} record ${id}`);
  return { ...access, record: access.record };
};

/** As moduleAccessWithRecord, where a missing record is not (yet) an error (e.g. a deleted record's history). */
export const moduleAccessMaybeRecord = async (
  req: OperationRequest,
  deps: AppDeps,
  moduleName: string,
  id: string,
  action: RecordAction,
  /** Other items the command needs, read in the same batch (returned as `extra`). */
  extra: readonly Key[] = [],
): Promise<ModuleAccess & { record: RecordItem | undefined; extra: Item[]; callerManagerId: string | null | undefined }> => {
  const { principal, module, record, processes, extra: found, user } = await loadAccessContext(deps, requireAuth(req), moduleName, id, { extra });
  // The caller's manager as read (null: none; undefined: not in the directory), for approvers named by manager.
  const callerManagerId = user ? (user.managerId ?? null) : undefined;
  return { principal, module: enforceOnModule(principal, module, moduleName, action), record, ...(processes ? { processes } : {}), extra: found, callerManagerId };
};

/**
 * Record-level check (ownership and the manager chain matter for update/delete). The owner's manager
 * chain is read only when the answer depends on it: a chain can only add rights, so what is allowed
 * without it (an admin, the owner, a team role) needs no read.
 */
export const enforceOnRecord = async (deps: AppDeps, access: ModuleAccess, action: RecordAction, record: RecordItem): Promise<void> => {
  const notFound = `No ${access.module.name} record ${record.id}`;
  const decide = (ownerManagerChain: readonly string[]) => decideRecordAccess(access.principal, access.module, action, { ownerId: record.ownerId, ownerManagerChain });
  const withoutChain = decide([]);
  const needsChain = !withoutChain.allowed && (action === 'update' || action === 'delete') && record.ownerId !== access.principal.userId;
  enforce(needsChain ? decide(await managerChain(deps, record.ownerId)) : withoutChain, notFound);
};

/**
 * Reads an item (an approval, a review, a request locator) whose module access is decided next, in a
 * round trip of its own: the access load that follows (loadAccessContext) refuses a caller who is not in the directory
 * (403), and when the item is missing a directory check comes before the 404, so such a caller learns
 * nothing either way.
 */
export const findAsMember = async <T>(req: OperationRequest, deps: AppDeps, find: Promise<T | undefined>, notFound: string): Promise<T> => {
  const value = await find;
  if (value !== undefined) return value;
  await assertInDirectory(deps, requireAuth(req));
  throw new NotFound(notFound);
};
