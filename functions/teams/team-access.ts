import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { loadPrincipalFor, moduleScope } from '../../shared/db/team-grants.js';
import { getTeamSpace, type TeamSpaceItem } from '../../shared/db/teams-repo.js';
import { assertInDirectory } from '../../shared/db/users-repo.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { NotFound } from '../../shared/domain/errors.js';

export type TeamModule = ModuleMetadata & { ownerTeamId: string };

/** A team space read again (e.g. after a lost race); gone meanwhile → 404. */
export const getTeamSpaceOr404 = async (deps: AppDeps, teamId: string): Promise<TeamSpaceItem> => {
  const team = await getTeamSpace(deps, teamId);
  if (!team) throw new NotFound(`No team space ${teamId}`);
  return team;
};

/** The caller (grants on this team read consistently) and the team space; a missing team is 404. */
export const loadTeam = async (req: OperationRequest, deps: AppDeps, teamId: string): Promise<{ principal: Principal; team: TeamSpaceItem }> => {
  const [principal, team] = await Promise.all([loadPrincipalFor(deps, requireAuth(req), { teamId }), getTeamSpaceOr404(deps, teamId)]);
  return { principal, team };
};

/** A team module and the caller (grants on its team and on the module read consistently); anything else is 404. */
export const loadTeamModule = async (req: OperationRequest, deps: AppDeps, name: string): Promise<{ principal: Principal; module: TeamModule }> => {
  // A caller who is not in the directory is refused (403) before learning whether the module exists.
  const [module] = await Promise.all([getModule(deps, name), assertInDirectory(deps, requireAuth(req))]);
  if (!module?.ownerTeamId || module.kind !== 'team') throw new NotFound(`No team module ${name}`);
  const principal = await loadPrincipalFor(deps, requireAuth(req), moduleScope(module));
  return { principal, module: module as TeamModule };
};
