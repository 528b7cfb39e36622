import type { AppDeps } from '../adapters/deps.js';
import type { User } from '../domain/users/user.js';
import { historyPut, type ChangeContext, type HistoryChange } from './history.js';
import { userKeys } from './keys.js';
import { ConditionFailed, transactWrite } from './transact.js';
import type { UserItem } from './users-repo.js';
import { Conflict, StaleVersion } from '../domain/errors.js';

type StoredUser = UserItem & { PK: string; SK: string };

const userHistory = (deps: AppDeps, item: StoredUser, eventName: string, changes: HistoryChange[], ctx: ChangeContext) =>
  historyPut(deps.tableName, {
    subjectPK: item.PK,
    subject: { type: 'user', id: item.id },
    eventId: deps.newId(),
    eventName,
    occurredAt: item.updatedAt,
    changes,
    data: { user: { id: item.id, email: item.email, name: item.name, orgRole: item.orgRole, managerId: item.managerId ?? null }, changes },
    context: ctx,
  });

/** Adds a user; the id must be new. Org role and manager changes are permission changes: they go in history. */
export const insertUser = async (deps: AppDeps, user: User, ctx: ChangeContext): Promise<UserItem> => {
  const now = deps.clock().toISOString();
  const item = { ...userKeys.item(user.id), entity: 'User' as const, ...user, version: 1, createdAt: now, updatedAt: now };
  const changes = Object.entries(user).map(([field, value]) => ({ field, old: null, new: value }));
  try {
    await transactWrite(deps, [
      { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      userHistory(deps, item, 'user.created', changes, ctx),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new Conflict(`A user with id ${user.id} already exists`);
    throw error;
  }
  return item;
};

export const replaceUser = async (deps: AppDeps, current: UserItem, next: User, ctx: ChangeContext): Promise<UserItem> => {
  const changes: HistoryChange[] = (['email', 'name', 'orgRole', 'managerId'] as const)
    .filter((k) => (current[k] ?? null) !== (next[k] ?? null))
    .map((k) => ({ field: k, old: current[k] ?? null, new: next[k] ?? null }));
  if (changes.length === 0) return current;
  const { managerId: _drop, ...base } = current;
  const item = { ...base, ...userKeys.item(current.id), ...next, version: current.version + 1, updatedAt: deps.clock().toISOString() };
  try {
    await transactWrite(deps, [
      { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } } },
      userHistory(deps, item as StoredUser, 'user.updated', changes, ctx),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new StaleVersion('The user changed since you read it');
    throw error;
  }
  return item;
};
