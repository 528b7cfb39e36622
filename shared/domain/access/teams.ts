import { allow, hide, isAdmin, refuse, type Decision, type Principal, type TeamRole } from './principal.js';
import type { ModuleScope } from './records.js';

/**
 * Team spaces, team modules, requesters and requests ("CRM for Everyone").
 * Outsiders never learn that a team space, a team module or a request exists (404); people who can
 * see the thing but may not do this to it get 403. Org admins may do everything.
 */

/** Roles that handle a team's work (can be assigned requests). Participants read and comment only. */
export const HANDLING_ROLES: readonly TeamRole[] = ['admin', 'manager', 'member'];

const HIDDEN_TEAM = 'Team spaces are visible to their members only';
const HIDDEN_MODULE = 'Team modules are visible to the team only';
const HIDDEN_REQUEST = 'Requests are visible to their requester and the team only';

const teamAdminOnly = (p: Principal, teamId: string, what: string): Decision => {
  if (isAdmin(p)) return allow;
  const role = p.teamRoles[teamId];
  if (!role) return hide(HIDDEN_TEAM);
  return role === 'admin' ? allow : refuse(`Only a team admin may ${what}`);
};

/** Creating a team space is an org-level act: org admins create it and name its first admins. */
export const decideTeamSpaceCreate = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('Only an org admin may create team spaces'));

export const decideTeamSpaceRead = (p: Principal, teamId: string): Decision => (isAdmin(p) || p.teamRoles[teamId] ? allow : hide(HIDDEN_TEAM));

/** The team's permission history: org admins and the team's admins. */
export const decideTeamAudit = (p: Principal, teamId: string): Decision => teamAdminOnly(p, teamId, "read the team's history");

export const decideTeamTabsChange = (p: Principal, teamId: string): Decision => teamAdminOnly(p, teamId, "change the team's tabs");

export const decideTeamModuleCreate = (p: Principal, teamId: string): Decision => teamAdminOnly(p, teamId, 'create team modules');

export interface MembershipChange {
  /** The role to give; null removes the member. */
  nextRole: TeamRole | null;
  /** The org admin revoked this user's team admin rights: only an org admin may give them back. */
  adminRevoked?: boolean;
}

/** Adding, re-roling and removing members: org admins and the team's admins (the brake: see adminRevoked). */
export const decideMembershipChange = (p: Principal, teamId: string, change: MembershipChange): Decision => {
  const base = teamAdminOnly(p, teamId, 'manage members');
  if (!base.allowed || isAdmin(p)) return base;
  if (change.nextRole === 'admin' && change.adminRevoked) {
    return refuse("The org admin revoked this user's team admin rights; only an org admin may restore them");
  }
  return allow;
};

/** Taking back a team admin's rights: org admins only. */
export const decideAdminRevoke = (p: Principal, teamId: string): Decision => {
  if (isAdmin(p)) return allow;
  return p.teamRoles[teamId] ? refuse("Only an org admin may revoke a team admin's rights") : hide(HIDDEN_TEAM);
};

const teamOf = (module: ModuleScope): string | undefined => module.ownerTeamId;

/** Managing a team module's requesters and assignment rules: as its fields (the owning team's admin). */
export const decideTeamModuleSettings = (p: Principal, module: ModuleScope): Decision => {
  const teamId = teamOf(module);
  if (!teamId) return isAdmin(p) ? refuse('Not a team module') : hide(HIDDEN_MODULE);
  if (isAdmin(p)) return allow;
  const role = p.teamRoles[teamId];
  if (!role) return hide(HIDDEN_MODULE);
  return role === 'admin' ? allow : refuse('Only a team admin may manage this module');
};

/** Seeing a team module's settings (requesters, assignment rules): anyone in the team. */
export const decideTeamModuleSettingsRead = (p: Principal, module: ModuleScope): Decision => {
  const teamId = teamOf(module);
  if (isAdmin(p) && teamId) return allow;
  return teamId && p.teamRoles[teamId] ? allow : hide(HIDDEN_MODULE);
};

/**
 * Submitting a request (and reading the request form): the module's requesters, the team's handlers
 * (admin, manager, member) and org admins. Participants read and comment only (403); others 404.
 */
export const decideRequestSubmit = (p: Principal, module: ModuleScope): Decision => {
  const teamId = teamOf(module);
  if (!teamId) return hide('Requests go to team modules only');
  if (isAdmin(p) || p.requesterOf.includes(module.name)) return allow;
  const role = p.teamRoles[teamId];
  if (!role) return hide(HIDDEN_MODULE);
  return role === 'participant' ? refuse('A team participant may read and comment only') : allow;
};

/** The team's queue of a module's requests: everyone in the team; requesters use My Requests. */
export const decideRequestQueue = (p: Principal, module: ModuleScope): Decision => {
  const teamId = teamOf(module);
  if (isAdmin(p) && teamId) return allow;
  return teamId && p.teamRoles[teamId] ? allow : hide(HIDDEN_MODULE);
};

/** What the rules need to know about one request. */
export interface RequestScope {
  requesterId: string;
  assigneeId?: string;
}

/** One request: its requester, everyone in the team, org admins. Another requester or an outsider: 404. */
export const decideRequestRead = (p: Principal, module: ModuleScope, request: RequestScope): Decision => {
  if (isAdmin(p) || request.requesterId === p.userId) return allow;
  const teamId = teamOf(module);
  return teamId && p.teamRoles[teamId] ? allow : hide(HIDDEN_REQUEST);
};

/** What a team-side change asks for: status and assignee as sent (undefined: untouched; null: unassign). */
export interface RequestChange {
  status?: boolean;
  assigneeId?: string | null;
  comment?: boolean;
}

/**
 * Handling a request (team side). Admins and managers change the status and assign to any handler;
 * a member changes the status of requests assigned to them and may take an unassigned one; every team
 * role, participants included, may comment. The requester follows the request from My Requests (403:
 * they know it exists); anyone else gets 404.
 */
export const decideRequestUpdate = (p: Principal, module: ModuleScope, request: RequestScope, change: RequestChange): Decision => {
  if (isAdmin(p)) return allow;
  const teamId = teamOf(module);
  const role = teamId ? p.teamRoles[teamId] : undefined;
  if (!role) return request.requesterId === p.userId ? refuse('Requesters follow their requests from My Requests') : hide(HIDDEN_REQUEST);
  const handles = change.status === true || change.assigneeId !== undefined;
  if (!handles || role === 'admin' || role === 'manager') return allow;
  if (role === 'participant') return refuse('A team participant may read and comment only');
  const takesUnassigned = !request.assigneeId && change.assigneeId === p.userId;
  if (change.assigneeId !== undefined && change.assigneeId !== (request.assigneeId ?? null) && !takesUnassigned) {
    return refuse('A team member may only take an unassigned request');
  }
  if (change.status && request.assigneeId !== p.userId && !takesUnassigned) return refuse('A team member may change only requests assigned to them');
  return allow;
};
