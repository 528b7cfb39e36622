import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { Principal, TeamRole } from '../domain/access/principal.js';
import { teamKeys, type Key } from './keys.js';
import { loadPrincipal } from './users-repo.js';
import type { AuthContext } from '../domain/access/principal.js';

/** The team and team module a request is about, when it is about one. */
export interface TeamScopeRef {
  teamId?: string;
  module?: string;
}

const consistentGet = async (deps: AppDeps, key: Key): Promise<Record<string, unknown> | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }))).Item;

interface ScopeGrants {
  role?: TeamRole;
  requester: boolean;
}

const readScopeGrants = async (deps: AppDeps, userId: string, scope: TeamScopeRef): Promise<ScopeGrants> => {
  const [member, requester] = await Promise.all([
    scope.teamId ? consistentGet(deps, teamKeys.memberKey(scope.teamId, userId)) : undefined,
    scope.module ? consistentGet(deps, teamKeys.requesterKey(scope.module, userId)) : undefined,
  ]);
  const role = member?.role as TeamRole | undefined;
  return { ...(role ? { role } : {}), requester: requester !== undefined };
};

const applyScopeGrants = (principal: Principal, scope: TeamScopeRef, grants: ScopeGrants): Principal => {
  const teamRoles: Record<string, TeamRole> = { ...principal.teamRoles };
  if (scope.teamId) {
    if (grants.role) teamRoles[scope.teamId] = grants.role;
    else delete teamRoles[scope.teamId];
  }
  let requesterOf = [...principal.requesterOf];
  if (scope.module) {
    requesterOf = requesterOf.filter((m) => m !== scope.module);
    if (grants.requester) requesterOf.push(scope.module);
  }
  return { ...principal, teamRoles, requesterOf };
};

/**
 * The caller, with their grants on `scope` read consistently. loadPrincipal reads memberships from
 * GSI1, which DynamoDB updates eventually; for the team and the module a request is about, this
 * re-reads the membership and the requester grant from the table with a strongly consistent read, so
 * a grant or a revocation holds from the very next request on.
 */
export const loadPrincipalFor = async (deps: AppDeps, auth: AuthContext, scope: TeamScopeRef): Promise<Principal> => {
  const [principal, grants] = await Promise.all([loadPrincipal(deps, auth), readScopeGrants(deps, auth.userId, scope)]);
  return applyScopeGrants(principal, scope, grants);
};
