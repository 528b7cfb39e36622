import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { Principal, TeamRole } from '../domain/access/principal.js';
import { MAX_MANAGER_CHAIN, type User } from '../domain/users/user.js';
import type { AuthContext } from '../http/auth.js';
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

export const getUser = async (deps: AppDeps, id: string): Promise<UserItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: userKeys.key(id) }));
  return res.Item as UserItem | undefined;
};

export const getUsers = async (deps: AppDeps, ids: readonly string[]): Promise<Map<string, UserItem>> => {
  const items = await batchGet<UserItem>(deps, [...new Set(ids)].map((id) => userKeys.key(id)));
  return new Map(items.map((item) => [item.id, item]));
};

/** The user's managers, nearest first. Stops at a missing user, a cycle, or MAX_MANAGER_CHAIN. */
export const managerChain = async (deps: AppDeps, userId: string): Promise<string[]> => {
  const chain: string[] = [];
  let current = await getUser(deps, userId);
  while (current?.managerId && !chain.includes(current.managerId) && current.managerId !== userId && chain.length < MAX_MANAGER_CHAIN) {
    chain.push(current.managerId);
    current = await getUser(deps, current.managerId);
  }
  return chain;
};

interface MembershipItem {
  SK: string;
  GSI1SK: string;
  role?: TeamRole;
}

/**
 * The caller as the access rules see them: the token says who and whether org admin; the directory
 * says member or guest; memberships and requester grants come from one GSI1 query.
 */
export const loadPrincipal = async (deps: AppDeps, auth: AuthContext): Promise<Principal> => {
  const [user, grants] = await Promise.all([
    getUser(deps, auth.userId),
    queryAll<MembershipItem>(deps, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': userTeamsPartition(auth.userId) },
    }),
  ]);
  const teamRoles: Record<string, TeamRole> = {};
  const requesterOf: string[] = [];
  for (const grant of grants) {
    const [kind, id] = [grant.GSI1SK.slice(0, grant.GSI1SK.indexOf('#')), grant.GSI1SK.slice(grant.GSI1SK.indexOf('#') + 1)];
    if (kind === 'MEMBER' && grant.role) teamRoles[id] = grant.role;
    if (kind === 'REQUESTER') requesterOf.push(id);
  }
  return {
    userId: auth.userId,
    isOrgAdmin: auth.isOrgAdmin,
    orgRole: auth.isOrgAdmin ? 'admin' : (user?.orgRole ?? 'guest'),
    teamRoles,
    requesterOf,
  };
};

