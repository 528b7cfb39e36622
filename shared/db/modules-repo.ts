import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ModuleDefinition, ModuleMetadata } from '../domain/records/module-definition.js';
import { STANDARD_MODULES, standardModule } from '../domain/records/standard-modules.js';
import { historyPut, type ChangeContext } from './history.js';
import { moduleKeys } from './keys.js';
import { queryAll } from './query.js';
import { ConditionFailed, transactWrite } from './transact.js';
import { Conflict, StaleVersion } from '../domain/errors.js';

interface ModuleItem extends ModuleMetadata {
  PK: string;
  SK: string;
  entity: 'Module';
}

const strip = ({ PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, ...rest }: ModuleItem & { GSI1PK?: string; GSI1SK?: string }): ModuleMetadata => rest;

/**
 * Which team owns a module, remembered per container (table + name → team id, or null for an org
 * module). It never goes stale: a module's owning team is fixed when the module is created and no
 * route changes or deletes it. Knowing it before the first read lets a record request fetch the
 * caller's team grants in the same round trip as the record (see access-context.ts).
 */
const ownerTeams = new Map<string, string | null>();
const ownerTeamKey = (deps: Pick<AppDeps, 'tableName'>, name: string) => `${deps.tableName}\u0000${name}`;

/** The owning team of a module this container has read before: a team id, null (org module), or undefined (not known yet). */
export const knownOwnerTeam = (deps: Pick<AppDeps, 'tableName'>, name: string): string | null | undefined => ownerTeams.get(ownerTeamKey(deps, name));

/** A module's metadata from its stored item (custom, team, or an extended standard one), else the standard one. */
export const moduleFromItem = (deps: Pick<AppDeps, 'tableName'>, name: string, item: Record<string, unknown> | undefined): ModuleMetadata | undefined => {
  const module = item ? strip(item as unknown as ModuleItem) : standardModule(name);
  if (module) ownerTeams.set(ownerTeamKey(deps, name), module.ownerTeamId ?? null);
  return module;
};

/** A module's metadata: the stored definition if any (custom, team, or an extended standard one), else the standard one. */
export const getModule = async (deps: AppDeps, name: string, consistent = false): Promise<ModuleMetadata | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: moduleKeys.key(name), ...(consistent ? { ConsistentRead: true } : {}) }));
  return moduleFromItem(deps, name, res.Item);
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
    if (error instanceof ConditionFailed) throw new StaleVersion('The module definition changed since you read it');
    throw error;
  }
  return module;
};
