import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { decideInDirectory, type Principal, type TeamRole, type AuthContext, enforce } from '../domain/access/principal.js';
import { MAX_MANAGER_CHAIN, type User } from '../domain/users/user.js';
import { userKeys, userTeamsPartition } from './keys.js';
import { batchGet, queryAll } from './query.js';

export interface UserItem extends User {
  entity: 'User';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const toUserView = (item: UserItem) => ({
  id: item.id,
  email: item.email,
  name: item.name,
  orgRole: item.orgRole,
  ...(item.managerId ? { managerId: item.managerId } : {}),
  version: item.version,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});
export type UserView = ReturnType<typeof toUserView>;

export const getUser = async (deps: AppDeps, id: string, consistent = false): Promise<UserItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: userKeys.key(id), ...(consistent ? { ConsistentRead: true } : {}) }));
  return res.Item as UserItem | undefined;
};

export const getUsers = async (deps: AppDeps, ids: readonly string[]): Promise<Map<string, UserItem>> => {
  const items = await batchGet<UserItem>(deps, [...new Set(ids)].map((id) => userKeys.key(id)));
  return new Map(items.map((item) => [item.id, item]));
};

/** Every user in the directory (one query of its list partition). */
export const listAllUsers = (deps: AppDeps): Promise<UserItem[]> =>
  queryAll<UserItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': userKeys.listPartition } });

/** Managers this request already read (user id → their manager, null for none): the chain starts from them without a read. */
export type KnownManagers = ReadonlyMap<string, string | null>;

/**
 * The user's managers, nearest first. Stops at a missing user, a cycle, or `levels` (at most
 * MAX_MANAGER_CHAIN): one read per level not in `known`, and none past the last level the caller needs.
 */
export const managerChain = async (deps: AppDeps, userId: string, levels = MAX_MANAGER_CHAIN, known: KnownManagers = new Map()): Promise<string[]> => {
  const chain: string[] = [];
  const depth = Math.min(levels, MAX_MANAGER_CHAIN);
  const managerOf = async (id: string): Promise<string | undefined> => (known.has(id) ? (known.get(id) ?? undefined) : (await getUser(deps, id))?.managerId);
  let manager = depth > 0 ? await managerOf(userId) : undefined;
  while (manager && !chain.includes(manager) && manager !== userId && chain.length < depth) {
    chain.push(manager);
    manager = chain.length < depth ? await managerOf(manager) : undefined;
  }
  return chain;
};

interface MembershipItem {
  SK: string;
  GSI1SK: string;
  role?: TeamRole;
}

/** The grants a principal is built with: team roles by team id, and the team modules they may request from. */
export interface Grants {
  teamRoles: Record<string, TeamRole>;
  requesterOf: string[];
}

/**
 * The caller as the access rules see them, from the token and their directory entry (read strongly
 * consistently, and never cached: a directory change holds from the next request on). A caller who is
 * not in the directory (and not an org admin by token) is refused here with a 403: this is the one
 * place every authenticated route's principal comes from.
 */
export const principalOf = (auth: AuthContext, user: UserItem | undefined, grants: Grants): Principal => {
  enforce(decideInDirectory(user !== undefined, auth.isOrgAdmin));
  return {
    userId: auth.userId,
    isOrgAdmin: auth.isOrgAdmin,
    orgRole: auth.isOrgAdmin ? 'admin' : (user?.orgRole ?? 'guest'),
    ...grants,
  };
};

/** Every membership and requester grant of a user, from one GSI1 Query (eventually consistent: see team-grants.ts). */
const readAllGrants = async (deps: AppDeps, userId: string): Promise<Grants> => {
  const items = await queryAll<MembershipItem>(deps, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': userTeamsPartition(userId) },
  });
  const grants: Grants = { teamRoles: {}, requesterOf: [] };
  for (const grant of items) {
    const [kind, id] = [grant.GSI1SK.slice(0, grant.GSI1SK.indexOf('#')), grant.GSI1SK.slice(grant.GSI1SK.indexOf('#') + 1)];
    if (kind === 'MEMBER' && grant.role) grants.teamRoles[id] = grant.role;
    if (kind === 'REQUESTER') grants.requesterOf.push(id);
  }
  return grants;
};

/**
 * For routes that need no access decision beyond "is this a member of the organisation" (e.g. the
 * caller's own notifications): one consistent GetItem of their directory entry; 403 if absent.
 */
export const assertInDirectory = async (deps: AppDeps, auth: AuthContext): Promise<void> => {
  enforce(decideInDirectory((await getUser(deps, auth.userId, true)) !== undefined, auth.isOrgAdmin));
};

/** The caller's directory entry and all their grants, without refusing anyone (GET /v1/me tells them where they stand). */
export const describeCaller = async (deps: AppDeps, auth: AuthContext): Promise<{ user: UserItem | undefined; grants: Grants }> => {
  const [user, grants] = await Promise.all([getUser(deps, auth.userId, true), readAllGrants(deps, auth.userId)]);
  return { user, grants };
};

/**
 * The caller with all their team roles and requester grants (for lists across teams: GET /v1/me,
 * team spaces, modules). Record routes load a narrower principal in one round trip (access-context.ts).
 * 403 for a caller who is not in the directory.
 */
export const loadPrincipal = async (deps: AppDeps, auth: AuthContext): Promise<Principal> => {
  const { user, grants } = await describeCaller(deps, auth);
  return principalOf(auth, user, grants);
};
