import { decideAdminRevoke, decideMembershipChange } from '../../shared/domain/access/index.js';
import { getAdminRevokedMark, getMember, toMemberView } from '../../shared/db/teams-repo.js';
import { removeMember, revokeAdmin, setMemberRole } from '../../shared/db/team-members-repo.js';
import { getUser } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json, noContent } from '../../shared/http/operation.js';
import { teamsRoutes } from './routes.js';
import { loadTeam } from './team-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';

/**
 * Add a member or change their role.
 * 1. The caller may manage the team's members (team admin, org admin; outsiders 404); a user whose
 *    admin rights the org admin revoked can be made admin again by an org admin only (403).
 * 2. The user must be in the directory (404).
 * 3. One transaction: the membership (conditional on the version read) and its history entry; a user
 *    added back takes up the revocation mark they left with (teamKeys.adminRevokedKey).
 */
export const setTeamMemberOperation = implement(teamsRoutes.setTeamMember, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  const current = await getMember(deps, team.id, req.params.userId);
  // A user the org admin revoked stays revoked when a team admin removes and re-adds them.
  const leftMark = current ? undefined : await getAdminRevokedMark(deps, team.id, req.params.userId);
  enforce(decideMembershipChange(principal, team.id, { nextRole: req.body.role, adminRevoked: (current?.adminRevoked ?? leftMark) !== undefined }), `No team space ${team.id}`);
  if (!current && !(await getUser(deps, req.params.userId))) throw new NotFound(`No user ${req.params.userId}`);
  const member = await setMemberRole(deps, team.id, req.params.userId, req.body.role, current, changeContext(req, deps, 'team'), leftMark);
  return json(200, toMemberView(member), { ETag: etag(member.version) });
});

/** Remove a member (team admin, org admin): one transaction with its history entry. */
export const removeTeamMemberOperation = implement(teamsRoutes.removeTeamMember, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideMembershipChange(principal, team.id, { nextRole: null }), `No team space ${team.id}`);
  const current = await getMember(deps, team.id, req.params.userId);
  if (!current) throw new NotFound(`${req.params.userId} is not a member of this team space`);
  await removeMember(deps, current, changeContext(req, deps, 'team'));
  return noContent();
});

/**
 * The brake: the org admin takes back a team admin's rights.
 * 1. Org admins only (team members 403, outsiders 404). 2. The user must be a member (404).
 * 3. One transaction: the membership (admin → member, marked revoked so no team admin can restore
 *    it) and the `team.admin-revoked` history entry. Access rules read the membership per request,
 *    consistently, so it holds from the next request on.
 */
export const revokeTeamAdminOperation = implement(teamsRoutes.revokeTeamAdmin, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideAdminRevoke(principal, team.id), `No team space ${team.id}`);
  const current = await getMember(deps, team.id, req.params.userId);
  if (!current) throw new NotFound(`${req.params.userId} is not a member of this team space`);
  const member = await revokeAdmin(deps, current, changeContext(req, deps, 'team'));
  return json(200, toMemberView(member), { ETag: etag(member.version) });
});
