import type { AppDeps } from '../adapters/deps.js';
import type { Principal, TeamRole } from '../domain/access/principal.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { moduleKeys, moduleProcessKeys, recordKeys, teamKeys, userKeys, type Key } from './keys.js';
import { moduleProcessesFromItem, type ModuleProcesses } from './module-processes-repo.js';
import { knownOwnerTeam, moduleFromItem } from './modules-repo.js';
import { batchGet } from './query.js';
import type { RecordItem } from './records-repo.js';
import type { TeamScopeRef } from './team-grants.js';
import { principalOf, type Grants, type UserItem } from './users-repo.js';
import type { AuthContext } from '../domain/access/principal.js';

/** What one record request needs to decide access: the caller, the module, and maybe one record. */
export interface AccessContext {
  /**
   * The caller, with grants for the module's team scope only: their role in the owning team and
   * their requester grant on a team module (none for an org module, where team grants change nothing).
   * Enough for every decision about this module and its records; not a list of all their teams.
   */
  principal: Principal;
  module: ModuleMetadata | undefined;
  record: RecordItem | undefined;
  /** With a record (or when asked, for a create): the module's process state (the records core's write guards), read in the same batch. */
  processes?: ModuleProcesses;
  /** The items of `options.extra` that exist (what else the command needs, read in the same batch). */
  extra: Item[];
  /** The caller's directory entry as this batch read it (absent for an org admin who is not in the directory). */
  user?: UserItem;
}

export type Item = Record<string, unknown> & Key;
export const sameKey = (a: Key) => (b: Item) => a.PK === b.PK && a.SK === b.SK;

const scopeKeys = (scope: TeamScopeRef, userId: string): { member?: Key; requester?: Key } => ({
  ...(scope.teamId ? { member: teamKeys.memberKey(scope.teamId, userId) } : {}),
  ...(scope.module ? { requester: teamKeys.requesterKey(scope.module, userId) } : {}),
});

/** The team scope of a module: its owning team and the module itself (requesters), or none for an org module. */
export const scopeOf = (moduleName: string, ownerTeamId: string | null | undefined): TeamScopeRef => (ownerTeamId ? { teamId: ownerTeamId, module: moduleName } : {});

const grantsFrom = (scope: TeamScopeRef, member: Item | undefined, requester: Item | undefined): Grants => {
  const role = member?.role as TeamRole | undefined;
  return {
    teamRoles: scope.teamId && role ? { [scope.teamId]: role } : {},
    requesterOf: scope.module && requester ? [scope.module] : [],
  };
};

/** The keys of the caller's grants in several scopes at once (a command spanning modules and teams, e.g. a kiosk step). */
export const grantKeysIn = (scopes: readonly TeamScopeRef[], userId: string): Key[] =>
  scopes.flatMap((scope) => Object.values(scopeKeys(scope, userId)));

/** The caller's grants in several scopes, from the items read for grantKeysIn (`find`: the item at a key, if it exists). */
export const grantsIn = (scopes: readonly TeamScopeRef[], userId: string, find: (key: Key) => Item | undefined): Grants => {
  const teamRoles: Record<string, TeamRole> = {};
  const requesterOf = new Set<string>();
  for (const scope of scopes) {
    const keys = scopeKeys(scope, userId);
    const grants = grantsFrom(scope, keys.member && find(keys.member), keys.requester && find(keys.requester));
    Object.assign(teamRoles, grants.teamRoles);
    grants.requesterOf.forEach((m) => requesterOf.add(m));
  }
  return { teamRoles, requesterOf: [...requesterOf] };
};

/**
 * The caller alone, for a decision that depends on their directory entry only (their org role: e.g. who
 * may read cadences), with the other items the request reads in the same consistent BatchGetItem. The
 * principal carries no team grants: a record or module decision needs loadAccessContext.
 */
export const loadCaller = async (deps: AppDeps, auth: AuthContext, extra: readonly Key[]): Promise<{ principal: Principal; extra: Item[] }> => {
  const userKey = userKeys.key(auth.userId);
  const keys = [userKey, ...extra].filter((k, i, all) => all.findIndex(sameKey(k as Item)) === i);
  const items = await batchGet<Item>(deps, keys, true);
  const principal = principalOf(auth, items.find(sameKey(userKey)) as unknown as UserItem | undefined, { teamRoles: {}, requesterOf: [] });
  return { principal, extra: extra.flatMap((key) => items.filter(sameKey(key))) };
};

/**
 * Everything a record request's access decision needs, in ONE BatchGetItem with strongly consistent
 * reads: the caller's directory entry (never cached, so a directory change or a team admin's revocation
 * holds on the very next request), the module's metadata, the record (when `recordId` is given) and,
 * for a team module, the caller's membership in the owning team and their requester grant.
 * Which team owns a module is remembered per container after its first read (it never changes), so only
 * the first request for a team module in a container needs a second round trip for the grants.
 * A caller who is not in the directory is refused (403) before anything else is decided.
 * `extra`: other items the command needs (e.g. a delegate's directory entry), in the same batch.
 */
export const loadAccessContext = async (
  deps: AppDeps,
  auth: AuthContext,
  moduleName: string,
  recordId?: string,
  options: { processes?: boolean; extra?: readonly Key[] } = {},
): Promise<AccessContext> => {
  const userKey = userKeys.key(auth.userId);
  const moduleKey = moduleKeys.key(moduleName);
  const recordKey = recordId !== undefined ? recordKeys.key(moduleName, recordId) : undefined;
  const processesKey = recordId !== undefined || options.processes ? moduleProcessKeys.key(moduleName) : undefined;
  const knownScope = scopeOf(moduleName, knownOwnerTeam(deps, moduleName));
  const known = scopeKeys(knownScope, auth.userId);
  const extra = options.extra ?? [];
  // BatchGetItem refuses a key twice (e.g. an extra that is the caller's own entry).
  const keys = [userKey, moduleKey, recordKey, processesKey, known.member, known.requester, ...extra]
    .filter((k): k is Key => k !== undefined)
    .filter((k, i, all) => all.findIndex(sameKey(k as Item)) === i);
  const items = await batchGet<Item>(deps, keys, true);
  const find = (key: Key | undefined) => (key ? items.find(sameKey(key)) : undefined);

  const user = find(userKey) as unknown as UserItem | undefined;
  const module = moduleFromItem(deps, moduleName, find(moduleKey));
  const scope = scopeOf(moduleName, module?.ownerTeamId);
  let grants: Grants;
  if (scope.teamId === knownScope.teamId) {
    grants = grantsFrom(scope, find(known.member), find(known.requester));
  } else {
    // First sight of this team module in this container: its grants in a second (consistent) read.
    const wanted = scopeKeys(scope, auth.userId);
    const more = await batchGet<Item>(deps, [wanted.member, wanted.requester].filter((k): k is Key => k !== undefined), true);
    grants = grantsFrom(scope, wanted.member && more.find(sameKey(wanted.member)), wanted.requester && more.find(sameKey(wanted.requester)));
  }
  const principal = principalOf(auth, user, grants);
  return {
    principal,
    module,
    record: find(recordKey) as unknown as RecordItem | undefined,
    ...(processesKey ? { processes: moduleProcessesFromItem(moduleName, find(processesKey)) } : {}),
    extra: extra.flatMap((key) => items.filter(sameKey(key))),
    ...(user ? { user } : {}),
  };
};

/** What the access rules need to know of a module to decide whether the caller may see it. */
export type ModuleRef = { name: string; ownerTeamId?: string };

/**
 * An item named only by its id (an approval, a review) with the caller's access to the module it
 * names. ONE consistent BatchGetItem reads the item and the caller's directory entry (never cached). For
 * an org module this container has seen before (a module's owning team never changes), that is all the
 * decision needs: the caller's org role. A team module, or one not seen yet, takes loadAccessContext's
 * read of the caller's grants in its team (a second round trip). A missing item: `item` undefined, after
 * the caller is known to be in the directory (else 403).
 */
export const loadNamedItemAccess = async (
  deps: AppDeps,
  auth: AuthContext,
  key: Key,
  moduleOf: (item: Item) => string,
): Promise<{ item: Item | undefined; principal: Principal; module: ModuleRef | undefined }> => {
  const { principal, extra } = await loadCaller(deps, auth, [key]);
  const item = extra[0];
  if (!item) return { item, principal, module: undefined };
  const moduleName = moduleOf(item);
  if (knownOwnerTeam(deps, moduleName) === null) return { item, principal, module: { name: moduleName } };
  const context = await loadAccessContext(deps, auth, moduleName);
  return { item, principal: context.principal, module: context.module };
};
