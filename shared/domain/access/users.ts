import { allow, isAdmin, refuse, type Decision, type Principal } from './principal.js';

/** Reading the directory: org members and admins (to pick owners and assignees); guests see only themselves. */
export const decideDirectoryRead = (p: Principal, userId?: string): Decision => {
  if (isAdmin(p) || p.orgRole === 'member') return allow;
  if (userId !== undefined && userId === p.userId) return allow;
  return refuse('Guests may read only their own profile');
};

/**
 * How much of the directory a caller's list shows: everyone for org members and admins, and for a
 * guest a list of one, themselves (a front-end lists the directory to show who is signed in, too).
 */
export const directoryListScope = (p: Principal): 'everyone' | 'self' => (isAdmin(p) || p.orgRole === 'member' ? 'everyone' : 'self');

/** Writing the directory (users, managers, org roles): org admins only. */
export const decideDirectoryWrite = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('Only an org admin may change the users directory'));
