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
 * Who may read and define workflow rules, said once: every refusal about them (a module the caller does
 * not manage, or every module's rules at once) gives this one sentence, so a caller who tries the
 * other form learns nothing new and nothing contradictory.
 */
export const WORKFLOW_RULES_RULE =
  "Workflow rules are read and managed by org admins (every module, or all at once) and by a team's admins (their team's modules, one module at a time: module=<name>)";

/**
 * Defining workflow rules (and reading them and their executions) on a module: org admins on every
 * module; a team's admins on their team's modules only (403 on org modules and other teams' modules).
 */
export const decideWorkflowRuleManage = (p: Principal, module: { name: string; ownerTeamId?: string }): Decision => {
  if (isAdmin(p)) return allow;
  if (module.ownerTeamId && p.teamRoles[module.ownerTeamId] === 'admin') return allow;
  return refuse(WORKFLOW_RULES_RULE);
};

/** Listing every module's rules at once: org admins (others list per module). */
export const decideWorkflowRuleListAll = (p: Principal): Decision => (isAdmin(p) ? allow : refuse(WORKFLOW_RULES_RULE));
