import { allow, hide, isAdmin, refuse, type Decision, type Principal } from './principal.js';

/** Cadences, their enrollments and reports: org members and admins read them; guests do not see them. */
export const decideCadenceRead = (p: Principal): Decision => (isAdmin(p) || p.orgRole === 'member' ? allow : hide('Cadences are not visible to guests'));

/** Only org admins define cadences (create, edit, activate, deactivate). */
export const decideCadenceDefine = (p: Principal): Decision => {
  const read = decideCadenceRead(p);
  if (!read.allowed) return read;
  return isAdmin(p) ? allow : refuse('Only an org admin may define cadences');
};
