import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ModuleDefinition, ModuleMetadata } from '../domain/records/module-definition.js';
import { STANDARD_MODULES, standardModule } from '../domain/records/standard-modules.js';
import { Conflict, PreconditionFailed } from '../http/errors.js';
import { historyPut, type ChangeContext } from './history.js';
import { moduleKeys } from './keys.js';
import { queryAll } from './query.js';
import { ConditionFailed, transactWrite } from './transact.js';

interface ModuleItem extends ModuleMetadata {
  PK: string;
  SK: string;
  entity: 'Module';
}

const strip = ({ PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, ...rest }: ModuleItem & { GSI1PK?: string; GSI1SK?: string }): ModuleMetadata => rest;

/** A module's metadata: the stored definition if any (custom, team, or an extended standard one), else the standard one. */
export const getModule = async (deps: AppDeps, name: string, consistent = false): Promise<ModuleMetadata | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: moduleKeys.key(name), ...(consistent ? { ConsistentRead: true } : {}) }));
  return res.Item ? strip(res.Item as ModuleItem) : standardModule(name);
};

export const listModules = async (deps: AppDeps): Promise<ModuleMetadata[]> => {
  const stored = (
    await queryAll<ModuleItem>(deps, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': moduleKeys.listPartition },
    })
  ).map(strip);
  const storedNames = new Set(stored.map((m) => m.name));
  return [...STANDARD_MODULES.filter((m) => !storedNames.has(m.name)), ...stored].sort((a, b) => a.name.localeCompare(b.name));
};

const moduleSubject = (name: string) => ({ subjectPK: moduleKeys.key(name).PK, subject: { type: 'module', id: name } });

/** Creates a custom or team module; the name must be new (standard names are taken). */
export const createModule = async (
  deps: AppDeps,
  definition: ModuleDefinition,
  kind: 'custom' | 'team',
  ctx: ChangeContext,
): Promise<ModuleMetadata> => {
  if (standardModule(definition.name)) throw new Conflict(`${definition.name} is a standard module`);
  const now = deps.clock().toISOString();
  const module: ModuleMetadata = { ...definition, kind, version: 1, createdAt: now, updatedAt: now };
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...moduleKeys.item(definition.name), entity: 'Module', ...module },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      historyPut(deps.tableName, {
        ...moduleSubject(definition.name),
        eventId: deps.newId(),
        eventName: 'module.created',
        occurredAt: now,
        data: { module },
        context: ctx,
      }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new Conflict(`A module named ${definition.name} already exists`);
    throw error;
  }
  return module;
};

/** Replaces a module's definition (fields, picklists) at an expected version. */
export const updateModule = async (
  deps: AppDeps,
  current: ModuleMetadata,
  next: ModuleDefinition,
  ctx: ChangeContext,
): Promise<ModuleMetadata> => {
  const now = deps.clock().toISOString();
  const module: ModuleMetadata = { ...next, kind: current.kind, version: current.version + 1, createdAt: current.createdAt ?? now, updatedAt: now };
  const isFirstStoredCopy = current.kind === 'standard' && current.version === 1 && !current.updatedAt;
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...moduleKeys.item(next.name), entity: 'Module', ...module },
          ConditionExpression: isFirstStoredCopy ? 'attribute_not_exists(PK)' : 'version = :v',
          ...(isFirstStoredCopy ? {} : { ExpressionAttributeValues: { ':v': current.version } }),
        },
      },
      historyPut(deps.tableName, {
        ...moduleSubject(next.name),
        eventId: deps.newId(),
        eventName: 'module.updated',
        occurredAt: now,
        changes: [{ field: 'fields', old: current.fields, new: next.fields }],
        data: { module },
        context: ctx,
      }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new PreconditionFailed('The module definition changed since you read it');
    throw error;
  }
  return module;
};
