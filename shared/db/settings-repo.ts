import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { historyPut, type ChangeContext } from './history.js';
import { settingKeys } from './keys.js';
import { ConditionFailed, transactWrite } from './transact.js';
import { StaleVersion } from '../domain/errors.js';

export interface StoredSetting<T> {
  name: string;
  value: T;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** A setting from its stored item (read here or in a caller's batch), or undefined (the defaults apply). */
export const settingFromItem = <T>(item: Record<string, unknown> | undefined): StoredSetting<T> | undefined => {
  if (!item) return undefined;
  const { name: n, value, version, updatedAt, updatedBy } = item as unknown as StoredSetting<T>;
  return { name: n, value, version, updatedAt, updatedBy };
};

/** An org setting as saved, or undefined (the defaults apply). */
export const getSetting = async <T>(deps: AppDeps, name: string): Promise<StoredSetting<T> | undefined> =>
  settingFromItem<T>((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: settingKeys.key(name), ConsistentRead: true }))).Item);

/**
 * Saves a setting (validated by its owner before it gets here) with its `setting.updated` history
 * entry, in one transaction conditional on the version read (`expectedVersion`, or the current one).
 */
export const putSetting = async <T>(deps: AppDeps, name: string, value: T, previous: StoredSetting<T> | undefined, ctx: ChangeContext): Promise<StoredSetting<T>> => {
  const now = deps.clock().toISOString();
  const stored: StoredSetting<T> = { name, value, version: (previous?.version ?? 0) + 1, updatedAt: now, updatedBy: ctx.actor };
  const key = settingKeys.key(name);
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...key, entity: 'Setting', ...stored },
          ConditionExpression: previous ? 'version = :v' : 'attribute_not_exists(PK)',
          ...(previous ? { ExpressionAttributeValues: { ':v': previous.version } } : {}),
        },
      },
      historyPut(deps.tableName, {
        subjectPK: key.PK,
        subject: { type: 'setting', id: name },
        eventId: deps.newId(),
        eventName: 'setting.updated',
        occurredAt: now,
        changes: [{ field: 'version', old: previous?.version ?? null, new: stored.version }],
        data: { name, version: stored.version },
        context: ctx,
      }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new StaleVersion(`The setting ${name} changed since you read it`);
    throw error;
  }
  return stored;
};
