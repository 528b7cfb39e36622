import type { AppDeps } from '../adapters/deps.js';
import { participantNeeds, type Participant, type PeopleContext } from '../domain/process/participants.js';
import { listMembers } from './teams-repo.js';
import { getUsers, listAllUsers, managerChain, type KnownManagers } from './users-repo.js';
import type { TeamRole } from '../domain/access/principal.js';
import type { ShadowDirectory } from '../domain/shadow/approval.js';

/** The members of these team spaces: teamId → userId → role. */
export const teamMembers = async (deps: AppDeps, teamIds: readonly string[]): Promise<Record<string, Record<string, TeamRole>>> =>
  Object.fromEntries(await Promise.all(teamIds.map(async (teamId) => [teamId, Object.fromEntries((await listMembers(deps, teamId)).map((m) => [m.userId, m.role]))] as const)));

/**
 * The directory as a shadow run's page reads it once: each user's org role and manager, and the members
 * of the named team spaces (shared/domain/shadow/approval.ts resolves approvers from it).
 */
export const loadDirectory = async (deps: AppDeps, teamIds: readonly string[]): Promise<ShadowDirectory> => {
  const [users, teams] = await Promise.all([listAllUsers(deps), teamMembers(deps, teamIds)]);
  return { users: Object.fromEntries(users.map((u) => [u.id, { orgRole: u.orgRole, ...(u.managerId ? { managerId: u.managerId } : {}) }])), teams };
};

/**
 * Loads what resolving `who` needs for one record, and nothing more: manager chains only when a
 * manager is named (and only as many levels up as `who` names), the directory only for org roles,
 * team members only for the named team spaces.
 */
export const loadPeople = async (deps: AppDeps, who: readonly Participant[], record: { ownerId: string; submitterId?: string }, known?: KnownManagers): Promise<PeopleContext> => {
  const needs = participantNeeds(who);
  const wantsOwnerChain = who.some((p) => p.kind === 'ownerManager');
  const wantsSubmitterChain = record.submitterId !== undefined && who.some((p) => p.kind === 'submitterManager');
  const [ownerManagerChain, submitterManagerChain, users, teams] = await Promise.all([
    wantsOwnerChain ? managerChain(deps, record.ownerId, needs.maxManagerLevels, known) : Promise.resolve([]),
    wantsSubmitterChain ? managerChain(deps, record.submitterId as string, needs.maxManagerLevels, known) : Promise.resolve([]),
    needs.orgRoles ? listAllUsers(deps) : Promise.resolve([]),
    teamMembers(deps, needs.teamIds),
  ]);
  return {
    ownerId: record.ownerId,
    ownerManagerChain,
    ...(record.submitterId !== undefined ? { submitterId: record.submitterId, submitterManagerChain } : {}),
    ...(needs.orgRoles
      ? { usersByOrgRole: { admin: users.filter((u) => u.orgRole === 'admin').map((u) => u.id), member: users.filter((u) => u.orgRole === 'member').map((u) => u.id) } }
      : {}),
    teams,
  };
};

/** Which of `ids` exist in the directory (for "approvers resolve" at save and delegation targets). */
export const existingUserIds = async (deps: AppDeps, ids: readonly string[]): Promise<Set<string>> => new Set((await getUsers(deps, ids)).keys());
