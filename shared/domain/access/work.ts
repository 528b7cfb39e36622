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
