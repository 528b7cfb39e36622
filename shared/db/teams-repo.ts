import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { TeamRole } from '../domain/access/principal.js';
import { historyPut, toHistoryView, type ChangeContext, type HistoryChange } from './history.js';
import { historyPage } from './history-page.js';
import { teamKeys } from './keys.js';
import { batchGet, queryAll, queryPage } from './query.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import { Conflict } from '../domain/errors.js';

export interface TeamSpaceItem {
  entity: 'TeamSpace';
  id: string;
  name: string;
  description?: string;
  /** Org modules shown as tabs; the team's own modules are tabs too (found by their ownerTeamId). */
  tabs: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface MemberItem {
  entity: 'TeamMember';
  teamId: string;
  userId: string;
  role: TeamRole;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Set when the org admin revoked this user's team admin rights: only an org admin may give them back. */
  adminRevoked?: { by: string; at: string };
}

export const toTeamSpaceView = (item: TeamSpaceItem) => ({
  id: item.id,
  name: item.name,
  ...(item.description ? { description: item.description } : {}),
  tabs: item.tabs,
  version: item.version,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export const toMemberView = (item: MemberItem) => ({
  userId: item.userId,
  role: item.role,
  ...(item.adminRevoked ? { adminRevoked: item.adminRevoked } : {}),
  version: item.version,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

/**
 * A history entry in the team space's partition: every permission change of the team (membership,
 * role, requester grant, revocation) is one, written in the same transaction as the change.
 */
export const teamHistoryPut = (deps: AppDeps, teamId: string, eventName: string, occurredAt: string, changes: HistoryChange[], data: Record<string, unknown>, ctx: ChangeContext): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: teamKeys.key(teamId).PK,
    subject: { type: 'team-space', id: teamId },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    changes,
    data: { teamId, ...data },
    context: ctx,
  });

export const getTeamSpace = async (deps: AppDeps, id: string): Promise<TeamSpaceItem | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: teamKeys.key(id), ConsistentRead: true }))).Item as TeamSpaceItem | undefined;

export const getTeamSpaces = async (deps: AppDeps, ids: readonly string[]): Promise<TeamSpaceItem[]> => {
  const found = await batchGet<TeamSpaceItem>(deps, [...new Set(ids)].map((id) => teamKeys.key(id)));
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
};

/** Every team space by name (org admins). */
export const listTeamSpaces = (deps: AppDeps, limit: number, cursor?: string) =>
  queryPage<TeamSpaceItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': teamKeys.listPartition } }, limit, cursor);

export const getMember = async (deps: AppDeps, teamId: string, userId: string): Promise<MemberItem | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: teamKeys.memberKey(teamId, userId), ConsistentRead: true }))).Item as MemberItem | undefined;

/** The revocation mark a revoked admin left behind when removed from the team (see teamKeys.adminRevokedKey). */
export const getAdminRevokedMark = async (deps: AppDeps, teamId: string, userId: string): Promise<{ by: string; at: string } | undefined> => {
  const item = (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: teamKeys.adminRevokedKey(teamId, userId), ConsistentRead: true }))).Item;
  return item ? { by: String(item.by), at: String(item.at) } : undefined;
};

/** A team's members (a bounded partition: one item per member). */
export const listMembers = (deps: AppDeps, teamId: string): Promise<MemberItem[]> =>
  queryAll<MemberItem>(deps, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': teamKeys.key(teamId).PK, ':prefix': teamKeys.memberPrefix },
    ConsistentRead: true,
  });

export const newMemberItem = (teamId: string, userId: string, role: TeamRole, now: string) => ({
  ...teamKeys.member(teamId, userId),
  entity: 'TeamMember' as const,
  teamId,
  userId,
  role,
  version: 1,
  createdAt: now,
  updatedAt: now,
});

export interface NewTeamSpace {
  id: string;
  name: string;
  description?: string;
  tabs: string[];
  members: Array<{ userId: string; role: TeamRole }>;
}

/** Creates a team space and its first members in one transaction, each membership with its history entry. */
export const createTeamSpace = async (deps: AppDeps, input: NewTeamSpace, ctx: ChangeContext): Promise<TeamSpaceItem> => {
  const now = deps.clock().toISOString();
  const item: TeamSpaceItem = {
    entity: 'TeamSpace',
    id: input.id,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    tabs: input.tabs,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.actor,
  };
  const items: TransactItem[] = [
    { Put: { TableName: deps.tableName, Item: { ...teamKeys.item(input.id, input.name), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
    teamHistoryPut(deps, input.id, 'team.created', now, [], { team: toTeamSpaceView(item) }, ctx),
  ];
  for (const member of input.members) {
    items.push({ Put: { TableName: deps.tableName, Item: newMemberItem(input.id, member.userId, member.role, now) } });
    items.push(teamHistoryPut(deps, input.id, 'team.member-added', now, [{ field: 'role', old: null, new: member.role }], { userId: member.userId, role: member.role }, ctx));
  }
  try {
    await transactWrite(deps, items);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new Conflict(`A team space with id ${input.id} already exists`);
    throw error;
  }
  return item;
};

/** Replaces the org tabs of a team space at the version read; another version → `ConditionFailed` (a lost race). */
export const setTeamTabs = async (deps: AppDeps, current: TeamSpaceItem, tabs: string[], ctx: ChangeContext): Promise<TeamSpaceItem> => {
  const now = deps.clock().toISOString();
  const next: TeamSpaceItem = { ...current, tabs, version: current.version + 1, updatedAt: now };
  await transactWrite(deps, [
    {
      Put: {
        TableName: deps.tableName,
        Item: { ...teamKeys.item(current.id, current.name), ...next },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': current.version },
      },
    },
    teamHistoryPut(deps, current.id, 'team.tabs-changed', now, [{ field: 'tabs', old: current.tabs, new: tabs }], { tabs }, ctx),
  ]);
  return next;
};

/** The team's history (permission changes and settings), newest first. */
export const teamHistory = async (deps: AppDeps, teamId: string, limit: number, cursor?: string) => {
  const page = await historyPage(deps, teamKeys.key(teamId).PK, { limit, ...(cursor ? { cursor } : {}) });
  return { ...page, items: page.items.map(toHistoryView) };
};
