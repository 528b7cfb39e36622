import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { NO_ASSIGNMENT, upgradeAssignmentRules, type AssignmentRules } from '../domain/teams/assignment.js';
import { historyPut, type ChangeContext } from './history.js';
import { moduleKeys, teamKeys } from './keys.js';
import { transactWrite } from './transact.js';

/** A team module's own settings. Absent item: no assignment rules yet. */
export interface TeamModuleConfig {
  assignment: AssignmentRules;
  /** Bumped on every rules change (ETag of the rules). */
  version: number;
  /** Round-robin position: the number of round-robin tickets taken so far. */
  rrNext?: number;
  updatedAt?: string;
}

export const getTeamModuleConfig = async (deps: AppDeps, module: string): Promise<TeamModuleConfig> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: teamKeys.moduleConfigKey(module), ConsistentRead: true }));
  const item = res.Item as (TeamModuleConfig & { assignment?: AssignmentRules }) | undefined;
  return { assignment: item?.assignment ? upgradeAssignmentRules(item.assignment) : NO_ASSIGNMENT, version: item?.version ?? 0, ...(item?.rrNext !== undefined ? { rrNext: item.rrNext } : {}), ...(item?.updatedAt ? { updatedAt: item.updatedAt } : {}) };
};

/**
 * Replaces a team module's assignment rules at the version read (the round-robin position is kept);
 * the change is in the module's history. Another version → `ConditionFailed` (a lost race).
 */
export const putAssignmentRules = async (deps: AppDeps, module: string, current: TeamModuleConfig, rules: AssignmentRules, ctx: ChangeContext): Promise<TeamModuleConfig> => {
  const now = deps.clock().toISOString();
  await transactWrite(deps, [
    {
      Update: {
        TableName: deps.tableName,
        Key: teamKeys.moduleConfigKey(module),
        UpdateExpression: 'SET #a = :a, #u = :now, entity = :entity, #m = :m ADD #v :one',
        ConditionExpression: current.version === 0 ? 'attribute_not_exists(#v)' : '#v = :seen',
        ExpressionAttributeNames: { '#a': 'assignment', '#u': 'updatedAt', '#v': 'version', '#m': 'module' },
        ExpressionAttributeValues: { ':a': rules, ':now': now, ':entity': 'TeamModuleConfig', ':m': module, ':one': 1, ...(current.version === 0 ? {} : { ':seen': current.version }) },
      },
    },
    historyPut(deps.tableName, {
      subjectPK: moduleKeys.key(module).PK,
      subject: { type: 'module', id: module },
      eventId: deps.newId(),
      eventName: 'module.assignment-rules-changed',
      occurredAt: now,
      changes: [{ field: 'assignment', old: current.assignment, new: rules }],
      data: { module, assignment: rules },
      context: ctx,
    }),
  ]);
  return { ...current, assignment: rules, version: current.version + 1, updatedAt: now };
};

/** Takes the module's next round-robin ticket (1, 2, 3…), atomically, so concurrent requests take turns. */
export const takeRoundRobinTicket = async (deps: AppDeps, module: string): Promise<number> => {
  const res = await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: teamKeys.moduleConfigKey(module),
      UpdateExpression: 'ADD rrNext :one SET entity = :entity, #m = :m',
      ExpressionAttributeNames: { '#m': 'module' },
      ExpressionAttributeValues: { ':one': 1, ':entity': 'TeamModuleConfig', ':m': module },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(res.Attributes?.rrNext ?? 1);
};
