import type { AppDeps } from '../adapters/deps.js';
import { participantNeeds, type Participant, type PeopleContext } from '../domain/process/participants.js';
import { userKeys } from './keys.js';
import { queryAll } from './query.js';
import { listMembers } from './teams-repo.js';
import { getUsers, managerChain, type UserItem } from './users-repo.js';

/**
 * Loads what resolving `who` needs for one record, and nothing more: manager chains only when a
 * manager is named, the directory only for org roles, team members only for the named team spaces.
 */
export const loadPeople = async (deps: AppDeps, who: readonly Participant[], record: { ownerId: string; submitterId?: string }): Promise<PeopleContext> => {
  const needs = participantNeeds(who);
  const wantsOwnerChain = who.some((p) => p.kind === 'ownerManager');
  const wantsSubmitterChain = record.submitterId !== undefined && who.some((p) => p.kind === 'submitterManager');
  const [ownerManagerChain, submitterManagerChain, users, teams] = await Promise.all([
    wantsOwnerChain ? managerChain(deps, record.ownerId) : Promise.resolve([]),
    wantsSubmitterChain ? managerChain(deps, record.submitterId as string) : Promise.resolve([]),
    needs.orgRoles ? queryAll<UserItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': userKeys.listPartition } }) : Promise.resolve([]),
    Promise.all(needs.teamIds.map(async (teamId) => [teamId, Object.fromEntries((await listMembers(deps, teamId)).map((m) => [m.userId, m.role]))] as const)),
  ]);
  return {
    ownerId: record.ownerId,
    ownerManagerChain,
    ...(record.submitterId !== undefined ? { submitterId: record.submitterId, submitterManagerChain } : {}),
    ...(needs.orgRoles
      ? { usersByOrgRole: { admin: users.filter((u) => u.orgRole === 'admin').map((u) => u.id), member: users.filter((u) => u.orgRole === 'member').map((u) => u.id) } }
      : {}),
    teams: Object.fromEntries(teams),
  };
};

/** Which of `ids` exist in the directory (for "approvers resolve" at save and delegation targets). */
export const existingUserIds = async (deps: AppDeps, ids: readonly string[]): Promise<Set<string>> => new Set((await getUsers(deps, ids)).keys());
