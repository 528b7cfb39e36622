import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideModuleRead, decideProcessManage, type Principal } from '../../shared/domain/access/index.js';
import type { ProcessActor } from '../../shared/domain/process/participants.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { assertInDirectory, loadPrincipal } from '../../shared/db/users-repo.js';
import { loadAccessContext } from '../../shared/db/access-context.js';
import type { Key } from '../../shared/db/keys.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { loadModuleForCaller, type ModuleAccess } from '../records/record-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Forbidden, NotFound } from '../../shared/domain/errors.js';

export const processActor = (p: Principal): ProcessActor => ({ userId: p.userId, isOrgAdmin: p.isOrgAdmin, orgRole: p.orgRole, teamRoles: p.teamRoles });

/** The caller may define processes on `moduleName` (team admins: consistent read of their role). */
export const manageAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string): Promise<ModuleAccess> => {
  const access = await loadModuleForCaller(req, deps, moduleName);
  enforce(decideProcessManage(access.principal, access.module), `No module ${moduleName}`);
  return access;
};

/** The caller may read definitions of `moduleName` (whoever may see the module). */
export const readAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string): Promise<ModuleAccess> => {
  const access = await loadModuleForCaller(req, deps, moduleName);
  enforce(decideModuleRead(access.principal, access.module), `No module ${moduleName}`);
  return access;
};

/** Filters definitions to the modules the caller may see (one metadata read per distinct module). */
export const visibleModules = async (req: OperationRequest, deps: AppDeps, names: readonly string[]): Promise<Set<string>> => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  const modules = await Promise.all([...new Set(names)].map((n) => getModule(deps, n)));
  return new Set(modules.filter((m): m is ModuleMetadata => m !== undefined && decideModuleRead(principal, m).allowed).map((m) => m.name));
};

export const notFoundUnless = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new NotFound(what);
  return value;
};

/**
 * Reads a process item (an approval, a review, a definition) in parallel with the caller's directory
 * entry: a caller who is not in the directory gets 403 before anything is found or not found.
 */
export const readAsMember = async <T>(req: OperationRequest, deps: AppDeps, read: Promise<T>): Promise<T> => {
  const [value] = await Promise.all([read, assertInDirectory(deps, requireAuth(req))]);
  return value;
};

/**
 * What a process command on one record needs, in ONE BatchGetItem (loadAccessContext): the caller (may
 * read the module, else 404), the module, the record and its process state, and the `extra` items
 * (e.g. a delegate's directory entry).
 */
export const recordProcessAccess = async (req: OperationRequest, deps: AppDeps, moduleName: string, recordId: string, extra: readonly Key[] = []) => {
  const context = await loadAccessContext(deps, requireAuth(req), moduleName, recordId, { extra });
  const module = notFoundUnless(context.module, `No module ${moduleName}`);
  enforce(decideModuleRead(context.principal, module), `No module ${moduleName}`);
  return { ...context, module, processes: context.processes as ModuleProcesses };
};

/**
 * Whose inbox a caller may read: their own (`me`); another user's only as an org admin (403).
 * A caller not in the directory is refused by the read that follows (readAsMember).
 */
export const inboxOwner = (req: OperationRequest, assignee: string): string => {
  const auth = requireAuth(req);
  const owner = assignee === 'me' ? auth.userId : assignee;
  if (owner !== auth.userId && !auth.isOrgAdmin) throw new Forbidden("Only an org admin may read another user's inbox");
  return owner;
};
