import type { AppDeps } from '../adapters/deps.js';
import type { TeamRole } from '../domain/access/principal.js';
import type { ChangeContext } from './history.js';
import { teamKeys } from './keys.js';
import { queryAll, queryPage, type Page } from './query.js';
import { teamHistoryPut, newMemberItem, type MemberItem } from './teams-repo.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import { Conflict, NotFound } from '../domain/errors.js';

const changedConcurrently = () => new Conflict('The membership changed at the same time; read it again and retry');

/** Runs a membership transaction: a failed condition means someone else changed it first (409). */
const write = async (deps: AppDeps, items: TransactItem[]): Promise<void> => {
  try {
    await transactWrite(deps, items);
  } catch (error) {
    if (error instanceof ConditionFailed) throw changedConcurrently();
    throw error;
  }
};

/** The condition that the member item is still what we read (or still absent). */
const sameAsRead = (current: MemberItem | undefined) =>
  current
    ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } }
    : { ConditionExpression: 'attribute_not_exists(PK)' };

/**
 * Adds a member or changes their role; one transaction with the `team.member-added` or
 * `team.member-role-changed` history entry. Giving the admin role clears an org admin's revocation
 * (the access rules let only an org admin do that). A user added back carries the revocation mark
 * they left with (`leftMark`, as read), which moves back onto their membership.
 */
export const setMemberRole = async (
  deps: AppDeps,
  teamId: string,
  userId: string,
  role: TeamRole,
  current: MemberItem | undefined,
  ctx: ChangeContext,
  leftMark?: { by: string; at: string },
): Promise<MemberItem> => {
  if (current && current.role === role && !(role === 'admin' && current.adminRevoked)) return current;
  const now = deps.clock().toISOString();
  // The revocation mark stays until someone (an org admin, per the rules) makes them admin again.
  const adminRevoked = current ? current.adminRevoked : leftMark;
  const keep = role !== 'admin' && adminRevoked ? { adminRevoked } : {};
  let next: MemberItem = { ...newMemberItem(teamId, userId, role, now), ...keep };
  if (current) {
    const { adminRevoked: _dropped, ...rest } = current;
    next = { ...rest, ...teamKeys.member(teamId, userId), role, ...keep, version: current.version + 1, updatedAt: now };
  }
  const eventName = current ? 'team.member-role-changed' : 'team.member-added';
  const markKey = teamKeys.adminRevokedKey(teamId, userId);
  // A new member: the mark left behind is taken back onto the membership (still there, as read), or there is none.
  const mark: TransactItem[] = current
    ? []
    : [
        leftMark
          ? { Delete: { TableName: deps.tableName, Key: markKey, ConditionExpression: 'attribute_exists(PK)' } }
          : { ConditionCheck: { TableName: deps.tableName, Key: markKey, ConditionExpression: 'attribute_not_exists(PK)' } },
      ];
  await write(deps, [
    { Put: { TableName: deps.tableName, Item: next, ...sameAsRead(current) } },
    ...mark,
    teamHistoryPut(deps, teamId, eventName, now, [{ field: 'role', old: current?.role ?? null, new: role }], { userId, role, previousRole: current?.role ?? null }, ctx),
  ]);
  return next;
};

/**
 * Removes a member; their requests stay assigned until someone reassigns them. An org admin's
 * revocation of their admin rights outlives the membership (a mark item), so that a team admin cannot
 * lift it by removing and re-adding them.
 */
export const removeMember = async (deps: AppDeps, current: MemberItem, ctx: ChangeContext): Promise<void> => {
  const now = deps.clock().toISOString();
  const mark: TransactItem[] = current.adminRevoked
    ? [{ Put: { TableName: deps.tableName, Item: { ...teamKeys.adminRevokedKey(current.teamId, current.userId), entity: 'TeamAdminRevoked', teamId: current.teamId, userId: current.userId, ...current.adminRevoked } } }]
    : [];
  await write(deps, [
    { Delete: { TableName: deps.tableName, Key: teamKeys.memberKey(current.teamId, current.userId), ...sameAsRead(current) } },
    ...mark,
    teamHistoryPut(deps, current.teamId, 'team.member-removed', now, [{ field: 'role', old: current.role, new: null }], { userId: current.userId, previousRole: current.role }, ctx),
  ]);
};

/**
 * The brake: takes back a team admin's rights. An admin becomes a member (they keep working in the
 * team); the member item records the revocation so that no team admin can give the role back.
 */
export const revokeAdmin = async (deps: AppDeps, current: MemberItem, ctx: ChangeContext): Promise<MemberItem> => {
  if (current.adminRevoked && current.role !== 'admin') return current;
  const now = deps.clock().toISOString();
  const role: TeamRole = current.role === 'admin' ? 'member' : current.role;
  const next: MemberItem = { ...current, ...teamKeys.member(current.teamId, current.userId), role, adminRevoked: { by: ctx.actor, at: now }, version: current.version + 1, updatedAt: now };
  await write(deps, [
    { Put: { TableName: deps.tableName, Item: next, ...sameAsRead(current) } },
    teamHistoryPut(
      deps,
      current.teamId,
      'team.admin-revoked',
      now,
      [
        { field: 'role', old: current.role, new: role },
        { field: 'adminRevoked', old: current.adminRevoked ?? null, new: next.adminRevoked },
      ],
      { userId: current.userId, role, previousRole: current.role },
      ctx,
    ),
  ]);
  return next;
};

export interface RequesterItem {
  entity: 'Requester';
  module: string;
  teamId: string;
  userId: string;
  createdAt: string;
  createdBy: string;
}

/** Makes a user a requester of a team module; false if they already were (nothing written). */
export const grantRequester = async (deps: AppDeps, teamId: string, module: string, userId: string, ctx: ChangeContext): Promise<boolean> => {
  const now = deps.clock().toISOString();
  const item: RequesterItem = { entity: 'Requester', module, teamId, userId, createdAt: now, createdBy: ctx.actor };
  try {
    await transactWrite(deps, [
      { Put: { TableName: deps.tableName, Item: { ...teamKeys.requester(module, userId), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
      teamHistoryPut(deps, teamId, 'team.requester-granted', now, [{ field: `requester:${module}`, old: false, new: true }], { module, userId }, ctx),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) return false;
    throw error;
  }
  return true;
};

/** Takes a requester grant back (404 if there was none); their past requests stay theirs to follow. */
export const revokeRequester = async (deps: AppDeps, teamId: string, module: string, userId: string, ctx: ChangeContext): Promise<void> => {
  const now = deps.clock().toISOString();
  try {
    await transactWrite(deps, [
      { Delete: { TableName: deps.tableName, Key: teamKeys.requesterKey(module, userId), ConditionExpression: 'attribute_exists(PK)' } },
      teamHistoryPut(deps, teamId, 'team.requester-revoked', now, [{ field: `requester:${module}`, old: true, new: false }], { module, userId }, ctx),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new NotFound(`${userId} is not a requester of ${module}`);
    throw error;
  }
};

/** One page of a module's requesters, by user id. */
export const listRequestersPage = (deps: AppDeps, module: string, limit: number, cursor?: string): Promise<Page<RequesterItem>> =>
  queryPage<RequesterItem>(
    deps,
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': teamKeys.requesterKey(module, '').PK, ':prefix': teamKeys.requesterPrefix },
    },
    limit,
    cursor,
  );

export const listRequesters = (deps: AppDeps, module: string): Promise<RequesterItem[]> =>
  queryAll<RequesterItem>(deps, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': teamKeys.requesterKey(module, '').PK, ':prefix': teamKeys.requesterPrefix },
  });
