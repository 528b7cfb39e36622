import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { loadAccessContext, type Item } from '../../shared/db/access-context.js';
import type { Key } from '../../shared/db/keys.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { loadPrincipalFor } from '../../shared/db/team-grants.js';
import { getTeamSpace, type TeamSpaceItem } from '../../shared/db/teams-repo.js';
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

/**
 * A team module and the caller, in ONE consistent BatchGetItem (loadAccessContext): their directory
 * entry (403 when absent, before learning whether the module exists), the module, their role in its
 * team and their requester grant (never cached), and what else the command names (`processes`, `extra`).
 * Anything but a team module is 404.
 */
export const loadTeamModule = async (
  req: OperationRequest,
  deps: AppDeps,
  name: string,
  options: { processes?: boolean; extra?: readonly Key[] } = {},
): Promise<{ principal: Principal; module: TeamModule; processes?: ModuleProcesses; extra: Item[] }> => {
  const { principal, module, processes, extra } = await loadAccessContext(deps, requireAuth(req), name, undefined, options);
  if (!module?.ownerTeamId || module.kind !== 'team') throw new NotFound(`No team module ${name}`);
  return { principal, module: module as TeamModule, ...(processes ? { processes } : {}), extra };
};
