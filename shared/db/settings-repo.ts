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

/** An org setting as saved, or undefined (the defaults apply). */
export const getSetting = async <T>(deps: AppDeps, name: string): Promise<StoredSetting<T> | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: settingKeys.key(name), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { name: n, value, version, updatedAt, updatedBy } = res.Item as StoredSetting<T>;
  return { name: n, value, version, updatedAt, updatedBy };
};

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
