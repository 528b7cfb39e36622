import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { NO_ASSIGNMENT, upgradeAssignmentRules, type AssignmentRules } from '../domain/teams/assignment.js';
import { historyPut, type ChangeContext } from './history.js';
import { moduleKeys, teamKeys } from './keys.js';
import { transactWrite, type TransactItem } from './transact.js';

/** A team module's own settings. Absent item: no assignment rules yet. */
export interface TeamModuleConfig {
  assignment: AssignmentRules;
  /** Bumped on every rules change (ETag of the rules). */
  version: number;
  /** Round-robin position: the number of round-robin tickets taken so far. */
  rrNext?: number;
  updatedAt?: string;
}

/** A team module's config from its stored item (read alone, or in a command's batch); absent → no rules yet. */
export const teamModuleConfigFromItem = (stored: Record<string, unknown> | undefined): TeamModuleConfig => {
  const item = stored as (TeamModuleConfig & { assignment?: AssignmentRules }) | undefined;
  return { assignment: item?.assignment ? upgradeAssignmentRules(item.assignment) : NO_ASSIGNMENT, version: item?.version ?? 0, ...(item?.rrNext !== undefined ? { rrNext: item.rrNext } : {}), ...(item?.updatedAt ? { updatedAt: item.updatedAt } : {}) };
};

export const getTeamModuleConfig = async (deps: AppDeps, module: string): Promise<TeamModuleConfig> =>
  teamModuleConfigFromItem((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: teamKeys.moduleConfigKey(module), ConsistentRead: true }))).Item);

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

/**
 * The module's next round-robin ticket (1, 2, 3…) after the position read, and the write that takes it,
 * for the command's one transaction. The write is conditional on that position: of two concurrent
 * submits one takes the turn and the other's transaction fails its condition (ConditionFailed at this
 * item), so it re-reads the position and takes the next turn. No ticket is lost or given twice.
 */
export const roundRobinTurn = (deps: AppDeps, module: string, config: TeamModuleConfig): { ticket: number; write: TransactItem } => {
  const seen = config.rrNext ?? 0;
  return {
    ticket: seen + 1,
    write: {
      Update: {
        TableName: deps.tableName,
        Key: teamKeys.moduleConfigKey(module),
        UpdateExpression: 'SET rrNext = :next, entity = :entity, #m = :m',
        ConditionExpression: seen === 0 ? 'attribute_not_exists(rrNext)' : 'rrNext = :seen',
        ExpressionAttributeNames: { '#m': 'module' },
        ExpressionAttributeValues: { ':next': seen + 1, ':entity': 'TeamModuleConfig', ':m': module, ...(seen === 0 ? {} : { ':seen': seen }) },
      },
    },
  };
};
