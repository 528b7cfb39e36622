import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { upgradeCadenceDefinition, type CadenceDefinition } from '../domain/cadence/definition.js';
import { cadenceKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';

/** The current definition of a cadence, with its activation state. */
export interface CadenceItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  /** Set while active: the cadence is listed under its module for automatic enrollment. */
  GSI2PK?: string;
  GSI2SK?: string;
  entity: 'Cadence';
  id: string;
  version: number;
  active: boolean;
  /** When it was last activated: automatic enrollment takes records created or changed from then on. */
  activatedAt?: string;
  definition: CadenceDefinition;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface CadenceVersionItem {
  PK: string;
  SK: string;
  entity: 'CadenceVersion';
  cadenceId: string;
  version: number;
  definition: CadenceDefinition;
  createdAt: string;
  createdBy: string;
}

/** A cadence stored with criteria in an earlier shape is read in today's (the next save writes it). */
const upgradeItem = (item: CadenceItem): CadenceItem => ({ ...item, definition: upgradeCadenceDefinition(item.definition) });
/** A cadence from its stored item (e.g. one read in a command's batch). */
export const cadenceFromItem = (item: Record<string, unknown>): CadenceItem => upgradeItem(item as unknown as CadenceItem);
const upgradePage = (page: Page<CadenceItem>): Page<CadenceItem> => ({ ...page, items: page.items.map(upgradeItem) });

export const toCadenceView = (item: CadenceItem) => ({
  id: item.id,
  version: item.version,
  active: item.active,
  ...item.definition,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});
export type CadenceView = ReturnType<typeof toCadenceView>;

const versionPut = (deps: AppDeps, id: string, version: number, definition: CadenceDefinition, at: string, actor: string): TransactItem => ({
  Put: {
    TableName: deps.tableName,
    Item: { ...cadenceKeys.version(id, version), entity: 'CadenceVersion', cadenceId: id, version, definition, createdAt: at, createdBy: actor } satisfies CadenceVersionItem,
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** A new cadence (inactive, version 1) with its first version and an empty report, in one transaction. */
export const insertCadence = async (deps: AppDeps, id: string, definition: CadenceDefinition, actor: string): Promise<CadenceItem> => {
  const now = deps.clock().toISOString();
  const item: CadenceItem = {
    ...cadenceKeys.item(id, definition.name),
    entity: 'Cadence',
    id,
    version: 1,
    active: false,
    definition,
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    updatedBy: actor,
  };
  await transactWrite(deps, [
    { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
    versionPut(deps, id, 1, definition, now, actor),
    { Put: { TableName: deps.tableName, Item: { ...cadenceKeys.report(id), entity: 'CadenceReport', cadenceId: id }, ConditionExpression: 'attribute_not_exists(PK)' } },
  ]);
  return item;
};

export const getCadence = async (deps: AppDeps, id: string, consistent = true): Promise<CadenceItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceKeys.key(id), ConsistentRead: consistent }));
  return res.Item ? upgradeItem(res.Item as CadenceItem) : undefined;
};

/** A version of a cadence's definition (versions never change, so any read is current). */
export const getCadenceVersion = async (deps: AppDeps, id: string, version: number): Promise<CadenceDefinition | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceKeys.version(id, version) }));
  const definition = (res.Item as CadenceVersionItem | undefined)?.definition;
  return definition ? upgradeCadenceDefinition(definition) : undefined;
};

export const listCadences = (deps: AppDeps, limit: number, cursor?: string): Promise<Page<CadenceItem>> =>
  queryPage<CadenceItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': cadenceKeys.listPartition } }, limit, cursor).then(upgradePage);

/** The cadences enrolling records of `module` automatically right now (GSI2 lists only active ones). */
export const listActiveCadences = (deps: AppDeps, module: string): Promise<Page<CadenceItem>> =>
  queryPage<CadenceItem>(deps, { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': cadenceKeys.activePartition(module) } }, 200).then(upgradePage);

/** Thrown when the cadence changed since it was read (the caller maps it to 412 or retries). */
export class CadenceChanged extends Error {
  constructor(id: string) {
    super(`Cadence ${id} changed since it was read`);
    this.name = 'CadenceChanged';
  }
}

/** A new version of the definition: the current item moves to it, the version is kept for enrollments in flight. */
export const saveCadenceVersion = async (deps: AppDeps, current: CadenceItem, definition: CadenceDefinition, actor: string): Promise<CadenceItem> => {
  const now = deps.clock().toISOString();
  const next: CadenceItem = {
    ...current,
    ...cadenceKeys.item(current.id, definition.name),
    ...(current.active ? { GSI2PK: cadenceKeys.activePartition(definition.module), GSI2SK: current.id } : {}),
    version: current.version + 1,
    definition,
    updatedAt: now,
    updatedBy: actor,
  };
  try {
    await transactWrite(deps, [
      { Put: { TableName: deps.tableName, Item: next, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } } },
      versionPut(deps, current.id, next.version, definition, now, actor),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new CadenceChanged(current.id);
    throw error;
  }
  return next;
};

/** Turns automatic enrollment and sending on or off (the enrollments themselves are paused/resumed by the caller). */
export const setCadenceActive = async (deps: AppDeps, current: CadenceItem, active: boolean, actor: string): Promise<CadenceItem> => {
  const now = deps.clock().toISOString();
  const { GSI2PK: _pk, GSI2SK: _sk, ...rest } = current;
  const next: CadenceItem = {
    ...rest,
    ...(active ? { GSI2PK: cadenceKeys.activePartition(current.definition.module), GSI2SK: current.id } : {}),
    active,
    ...(active ? { activatedAt: now } : {}),
    version: current.version,
    updatedAt: now,
    updatedBy: actor,
  };
  try {
    await transactWrite(deps, [{ Put: { TableName: deps.tableName, Item: next, ConditionExpression: 'version = :v AND active = :was', ExpressionAttributeValues: { ':v': current.version, ':was': current.active } } }]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new CadenceChanged(current.id);
    throw error;
  }
  return next;
};

/** Report counters: `status:<status>`, `step:<stepId>:<metric>`, `reason:<reason>`. */
export const reportCounters = (deps: AppDeps, cadenceId: string, deltas: Readonly<Record<string, number>>): TransactItem | undefined => {
  const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = entries.map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return { Update: { TableName: deps.tableName, Key: cadenceKeys.report(cadenceId), UpdateExpression: `ADD ${parts.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
};

export const getReportCounters = async (deps: AppDeps, cadenceId: string): Promise<Record<string, number>> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceKeys.report(cadenceId), ConsistentRead: true }));
  return Object.fromEntries(Object.entries(res.Item ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
};
