import { allow, isAdmin, refuse, type Decision, type Principal } from './principal.js';

/**
 * Reading someone's open tasks: your own; an org admin anyone's; a manager those of the people below
 * them in the `managerId` chain (`assigneeManagers`: the assignee's managers, nearest first).
 */
export const decideTaskListRead = (p: Principal, assigneeId: string, assigneeManagers: readonly string[]): Decision => {
  if (assigneeId === p.userId || isAdmin(p)) return allow;
  if (assigneeManagers.includes(p.userId)) return allow;
  return refuse("Only the assignee, their managers and org admins may list a person's tasks");
};

/**
 * Defining workflow rules (and reading them and their executions) on a module: org admins on every
 * module; a team's admins on their team's modules only (403 on org modules and other teams' modules).
 */
export const decideWorkflowRuleManage = (p: Principal, module: { name: string; ownerTeamId?: string }): Decision => {
  if (isAdmin(p)) return allow;
  if (module.ownerTeamId && p.teamRoles[module.ownerTeamId] === 'admin') return allow;
  return refuse(module.ownerTeamId ? "Only this team's admins and org admins may manage its workflow rules" : 'Only an org admin may manage workflow rules on org modules');
};

/** Listing every module's rules at once: org admins (others list per module). */
export const decideWorkflowRuleListAll = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('List the rules of one module (module=…): only org admins list them all'));
