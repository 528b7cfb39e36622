import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { upgradeJourneyDefinition } from '../domain/journey/definition.js';
import { upgradeKioskDefinition } from '../domain/kiosk/definition.js';
import { upgradeWizardDefinition } from '../domain/wizard/definition.js';
import { historyPut, type ChangeContext } from './history.js';
import { definitionKeys } from './keys.js';
import { publishedCache } from './published-cache.js';
import { queryPage, type Page } from './query.js';
import { ConditionFailed, transactWrite } from './transact.js';
import { NotFound, StaleVersion } from '../domain/errors.js';
import { assertIfMatch, type IfMatch } from '../domain/version-precondition.js';

/** The kinds of versioned definition kept by this repository (each kind is its own list). */
export type DefinitionKind = 'wizard' | 'kiosk' | 'journey';

/** A stored definition: the body (validated by its kind's schema before it gets here) and its version. */
export interface StoredDefinition<T> {
  id: string;
  kind: DefinitionKind;
  name: string;
  version: number;
  definition: T;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

type DefinitionItem<T> = StoredDefinition<T> & { PK: string; SK: string; entity: 'Definition' };

/** Each kind's definition as stored in an earlier criteria shape, in today's (the next save writes it). */
const UPGRADES: Record<DefinitionKind, (definition: never) => unknown> = {
  wizard: upgradeWizardDefinition,
  kiosk: upgradeKioskDefinition,
  journey: upgradeJourneyDefinition,
};

const strip = <T>(item: DefinitionItem<T>): StoredDefinition<T> => ({
  id: item.id,
  kind: item.kind,
  name: item.name,
  version: item.version,
  definition: (UPGRADES[item.kind]?.(item.definition as never) ?? item.definition) as T,
  createdAt: item.createdAt,
  createdBy: item.createdBy,
  updatedAt: item.updatedAt,
  updatedBy: item.updatedBy,
});

/**
 * Saves a new version of a definition: the `CURRENT` item (conditional on the version read, or on
 * absence for a new one), the immutable `V#<version>` snapshot and a history entry, in one transaction.
 * `previous` undefined means create. A lost race is 412: the caller read an older version.
 */
export const saveDefinition = async <T extends { name: string }>(
  deps: AppDeps,
  kind: DefinitionKind,
  id: string,
  definition: T,
  previous: StoredDefinition<T> | undefined,
  ctx: ChangeContext,
): Promise<StoredDefinition<T>> => {
  const now = deps.clock().toISOString();
  const version = (previous?.version ?? 0) + 1;
  const stored: StoredDefinition<T> = {
    id,
    kind,
    name: definition.name,
    version,
    definition,
    createdAt: previous?.createdAt ?? now,
    createdBy: previous?.createdBy ?? ctx.actor,
    updatedAt: now,
    updatedBy: ctx.actor,
  };
  const current = definitionKeys.current(kind, id);
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...definitionKeys.currentItem(kind, id, definition.name), entity: 'Definition', ...stored },
          ConditionExpression: previous ? 'version = :seen' : 'attribute_not_exists(PK)',
          ...(previous ? { ExpressionAttributeValues: { ':seen': previous.version } } : {}),
        },
      },
      { Put: { TableName: deps.tableName, Item: { ...definitionKeys.version(kind, id, version), entity: 'DefinitionVersion', ...stored }, ConditionExpression: 'attribute_not_exists(PK)' } },
      historyPut(deps.tableName, {
        subjectPK: current.PK,
        subject: { type: kind, id },
        eventId: deps.newId(),
        eventName: previous ? `${kind}.updated` : `${kind}.created`,
        occurredAt: now,
        changes: [{ field: 'version', old: previous?.version ?? null, new: version }],
        data: { id, name: definition.name, version },
        context: ctx,
      }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new StaleVersion(`The ${kind} changed since you read it (now past version ${previous?.version ?? 0})`);
    throw error;
  }
  return stored;
};

/** The latest version, or 404. */
export const requireDefinition = async <T>(deps: AppDeps, kind: DefinitionKind, id: string): Promise<StoredDefinition<T>> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: definitionKeys.current(kind, id), ConsistentRead: true }));
  if (!res.Item) throw new NotFound(`No ${kind} ${id}`);
  return strip(res.Item as DefinitionItem<T>);
};

const savedVersions = publishedCache<StoredDefinition<unknown>>();
const versionCacheKey = (deps: Pick<AppDeps, 'tableName'>, kind: DefinitionKind, id: string, version: number) => [deps.tableName, kind, id, version];

/** A saved version this container has read before (never stale: a version is written once), or undefined. */
export const knownDefinitionVersion = <T>(deps: Pick<AppDeps, 'tableName'>, kind: DefinitionKind, id: string, version: number): StoredDefinition<T> | undefined =>
  savedVersions.peek(versionCacheKey(deps, kind, id, version)) as StoredDefinition<T> | undefined;

/**
 * A definition from an item read in a caller's own batch (the `CURRENT` item or a `V#` version); a
 * version is remembered in the container's cache as requireDefinitionVersion would.
 */
export const definitionFromItem = <T>(deps: Pick<AppDeps, 'tableName'>, item: Record<string, unknown>): StoredDefinition<T> => {
  const stored = strip(item as unknown as DefinitionItem<T>);
  if (item.SK !== definitionKeys.current(stored.kind, stored.id).SK) savedVersions.remember(versionCacheKey(deps, stored.kind, stored.id, stored.version), stored);
  return stored;
};

/** One version as it was saved (what a session or run started on keeps using). Read once per container (publishedCache). */
export const requireDefinitionVersion = async <T>(deps: AppDeps, kind: DefinitionKind, id: string, version: number): Promise<StoredDefinition<T>> => {
  const found = await savedVersions.get(versionCacheKey(deps, kind, id, version), async () => {
    const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: definitionKeys.version(kind, id, version) }));
    return res.Item ? strip(res.Item as DefinitionItem<unknown>) : undefined;
  });
  if (!found) throw new NotFound(`No version ${version} of ${kind} ${id}`);
  return found as StoredDefinition<T>;
};

/** Definitions of a kind by name (GSI1), paged. */
export const listDefinitions = async <T>(deps: AppDeps, kind: DefinitionKind, limit: number, cursor?: string): Promise<Page<StoredDefinition<T>>> => {
  const page = await queryPage<DefinitionItem<T>>(
    deps,
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': definitionKeys.listPartition(kind) } },
    limit,
    cursor,
  );
  return { items: page.items.map(strip), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};

/** Finds a definition by its exact name (the demo and tests find seeded definitions by name). */
export const findDefinitionByName = async <T>(deps: AppDeps, kind: DefinitionKind, name: string): Promise<StoredDefinition<T> | undefined> => {
  const page = await queryPage<DefinitionItem<T>>(
    deps,
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :name)',
      ExpressionAttributeValues: { ':pk': definitionKeys.listPartition(kind), ':name': `${name.toLowerCase()}#` },
    },
    25,
  );
  const found = page.items.find((item) => item.name === name);
  return found ? strip(found) : undefined;
};

/**
 * Saves a new version over the current one. With a version in `If-Match`, another current version is
 * 412; without one, a lost race re-reads and saves again (the new definition replaces whatever won).
 * `check` runs on each version read (access to it), before the write.
 */
export const replaceDefinition = async <T extends { name: string }>(
  deps: AppDeps,
  kind: DefinitionKind,
  id: string,
  definition: T,
  ifMatch: IfMatch | undefined,
  ctx: ChangeContext,
  check: (current: StoredDefinition<T>) => Promise<void> = async () => undefined,
): Promise<StoredDefinition<T>> => {
  for (let attempt = 1; ; attempt++) {
    const current = await requireDefinition<T>(deps, kind, id);
    await check(current);
    assertIfMatch(ifMatch, current.version);
    try {
      return await saveDefinition(deps, kind, id, definition, current, ctx);
    } catch (error) {
      if (!(error instanceof StaleVersion) || ifMatch !== undefined || attempt >= 5) throw error;
    }
  }
};

/** Saves version 1 of a definition under a fixed id unless it exists (demo seeds: one someone changed is left as it is). */
export const saveDefinitionIfAbsent = async <T extends { name: string }>(deps: AppDeps, kind: DefinitionKind, id: string, definition: T, ctx: ChangeContext): Promise<void> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: definitionKeys.current(kind, id), ConsistentRead: true }));
  if (!res.Item) await saveDefinition(deps, kind, id, definition, undefined, ctx);
};
