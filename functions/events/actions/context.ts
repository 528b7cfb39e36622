import type { AppDeps } from '../../../shared/adapters/deps.js';
import { needsManager, needsRoles, usersToLoad, type Action, type ActionContext, type ActionUser } from '../../../shared/domain/actions/index.js';
import type { FieldValue } from '../../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { queryAll } from '../../../shared/db/query.js';
import { userKeys } from '../../../shared/db/keys.js';
import { getUsers, type UserItem } from '../../../shared/db/users-repo.js';

export interface ActionRecord {
  id: string;
  module: string;
  ownerId: string;
  fields: Record<string, FieldValue>;
}

const asActionUser = (u: UserItem): ActionUser => ({ id: u.id, email: u.email, name: u.name, ...(u.managerId ? { managerId: u.managerId } : {}), orgRole: u.orgRole });

/**
 * Loads what planning needs, in as few reads as the actions allow.
 * Steps: one BatchGet for the owner, submitter and named users (none when the caller read them in its
 * own batch: `preloaded`) → the owner's manager if an action or template needs them → the directory by
 * role only for role assignees.
 */
export const loadActionContext = async (
  deps: AppDeps,
  module: ModuleMetadata,
  record: ActionRecord,
  actions: readonly Action[],
  submitterId?: string,
  preloaded?: ReadonlyMap<string, UserItem>,
): Promise<ActionContext> => {
  const fieldTypes = Object.fromEntries(module.fields.map((f) => [f.name, f.type]));
  const base = { record, fieldTypes, ...(submitterId ? { submitterId } : {}) };
  const users = new Map<string, UserItem>(preloaded ?? (await getUsers(deps, usersToLoad(actions, base))));
  const managerId = users.get(record.ownerId)?.managerId;
  if (managerId && !users.has(managerId) && needsManager(actions)) {
    for (const [id, u] of await getUsers(deps, [managerId])) users.set(id, u);
  }
  let roleMembers: Record<string, string[]> | undefined;
  if (needsRoles(actions)) {
    const all = await queryAll<UserItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': userKeys.listPartition } });
    roleMembers = {};
    for (const u of all.sort((a, b) => a.id.localeCompare(b.id))) (roleMembers[u.orgRole] ??= []).push(u.id);
    for (const u of all) users.set(u.id, u);
  }
  return {
    ...base,
    users: Object.fromEntries([...users].map(([id, u]) => [id, asActionUser(u)])),
    ...(roleMembers ? { roleMembers } : {}),
    now: deps.clock(),
  };
};
