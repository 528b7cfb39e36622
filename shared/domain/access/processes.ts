import { allow, isAdmin, refuse, type Decision, type Principal } from './principal.js';
import type { ModuleScope } from './records.js';

/**
 * Defining blueprints, approval and review processes: org admins on every module; a team's admins on
 * their team's modules only (the team runs its own processes). Everyone else is refused (403) —
 * including another team's admin — and a revoked team admin is refused from the next request on.
 */
export const decideProcessManage = (p: Principal, module: ModuleScope): Decision => {
  if (isAdmin(p)) return allow;
  if (!module.ownerTeamId) return refuse('Only an org admin defines processes on org modules');
  return p.teamRoles[module.ownerTeamId] === 'admin' ? allow : refuse("Only the owning team's admins (or an org admin) define processes on this module");
};
