import { businessMetric } from '../adapters/metrics.js';
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { JourneyInstance, JourneyTimer } from '../domain/journey/engine.js';
import type { RouteCount } from '../domain/journey/drop-off.js';
import { reportChange, type Deltas, type ReportChange } from '../domain/journey/report.js';
import { historyPut, type ChangeContext } from './history.js';
import { journeyKeys } from './keys.js';
import { batchGet, queryAll } from './query.js';
import { timerTransactItem } from './timers.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';

/** The shared timer kind of journey deadlines and no-reply waits (stepfunctions/timer/wake-handlers.ts). */
export const JOURNEY_TIMER_KIND = 'journey';

export interface CustomerRef {
  module: string;
  id: string;
}

/** An instance as stored: the engine's instance, the customer's records with their modules, and bookkeeping. */
export interface StoredInstance extends JourneyInstance {
  instanceId: string;
  journeyName: string;
  customers: CustomerRef[];
  startedAt: string;
  updatedAt: string;
  /** Bumped on every write (the engine's `version` moves only with the state): the write's condition. */
  rev: number;
}

type InstanceItem = StoredInstance & { PK: string; SK: string; GSI1PK: string; GSI1SK: string; entity: 'JourneyInstance' };

export interface ActiveJourney {
  journeyId: string;
  version: number;
  name: string;
  /** When it was (last) activated: a record created before then does not start an instance, however late its event arrives. Absent: no bound (the seeded demo). */
  activatedAt?: string;
}

const strip = <T extends object>(item: T & { PK?: unknown; SK?: unknown; GSI1PK?: unknown; GSI1SK?: unknown; entity?: unknown }): T => {
  const { PK: _pk, SK: _sk, GSI1PK: _g, GSI1SK: _gs, entity: _e, ...rest } = item;
  return rest as T;
};

/** The active journeys (one Query of one small partition): what the journey router reads per event. */
export const listActiveJourneys = async (deps: AppDeps): Promise<ActiveJourney[]> => {
  const items = await queryAll<ActiveJourney & { PK: string; SK: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': journeyKeys.activePartition } });
  return items.map((i) => ({ journeyId: i.journeyId, version: i.version, name: i.name, ...(i.activatedAt ? { activatedAt: i.activatedAt } : {}) }));
};

export const getActiveJourney = async (deps: AppDeps, journeyId: string): Promise<ActiveJourney | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: journeyKeys.active(journeyId), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const activatedAt = res.Item.activatedAt as string | undefined;
  return { journeyId, version: res.Item.version as number, name: res.Item.name as string, ...(activatedAt ? { activatedAt } : {}) };
};

/** Marks a journey active at a version (new instances start on it); re-activating with a newer version moves the pointer. */
export const putActiveJourney = async (deps: AppDeps, journey: ActiveJourney): Promise<void> => {
  await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...journeyKeys.active(journey.journeyId), entity: 'ActiveJourney', ...journey } }));
};

export const deleteActiveJourney = async (deps: AppDeps, journeyId: string): Promise<void> => {
  await deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: journeyKeys.active(journeyId) }));
};

export const getInstance = async (deps: AppDeps, instanceId: string): Promise<StoredInstance | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: journeyKeys.instance(instanceId), ConsistentRead: true }));
  return res.Item ? strip(res.Item as InstanceItem) : undefined;
};

/** The instances following these customer records, per journey: journeyId → instanceId. */
export const instancesOfCustomers = async (deps: AppDeps, recordIds: readonly string[]): Promise<Array<{ recordId: string; journeyId: string; instanceId: string }>> => {
  const found = await Promise.all(
    [...new Set(recordIds)].map((recordId) =>
      queryAll<{ journeyId: string; instanceId: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': journeyKeys.customerPartition(recordId) }, ConsistentRead: true }).then((items) =>
        items.map((i) => ({ recordId, journeyId: i.journeyId, instanceId: i.instanceId })),
      ),
    ),
  );
  return found.flat();
};

export const getInstances = async (deps: AppDeps, instanceIds: readonly string[]): Promise<StoredInstance[]> =>
  (await batchGet<InstanceItem>(deps, [...new Set(instanceIds)].map((id) => journeyKeys.instance(id)))).map((i) => strip(i));

/** Counter deltas as one ADD update of one item (flat attributes). */
const addCounters = (tableName: string, key: { PK: string; SK: string }, deltas: Deltas, extraSet: Record<string, unknown> = {}): TransactItem | undefined => {
  const entries = Object.entries(deltas).filter(([, v]) => v !== 0);
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = entries.map(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    return `#c${i} :c${i}`;
  });
  const sets = Object.entries(extraSet).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** A path's sort key: the day its instances started, then the path (or its hash when too long for a sort key). */
const pathSortKey = (startDay: string, path: string): string => `${startDay}#${Buffer.byteLength(path) <= 1000 ? path : `H#${createHash('sha256').update(path).digest('hex')}`}`;
const pathStartDay = (sortKey: string): string => sortKey.slice(0, sortKey.indexOf('#'));

/** The report counter updates of one instance change (reportChange), as transaction items. */
export const reportItems = (tableName: string, journeyId: string, startedAt: string, change: ReportChange): TransactItem[] => {
  const items: TransactItem[] = [];
  for (const [day, deltas] of Object.entries(change.daily)) {
    const item = addCounters(tableName, journeyKeys.reportDay(journeyId, day), deltas, { entity: 'JourneyReportDay', day });
    if (item) items.push(item);
  }
  const now = addCounters(tableName, journeyKeys.reportNow(journeyId), change.now, { entity: 'JourneyReportNow' });
  if (now) items.push(now);
  for (const [path, delta] of Object.entries(change.paths)) {
    if (delta === 0) continue;
    const item = addCounters(tableName, journeyKeys.path(journeyId, pathSortKey(startedAt.slice(0, 10), path)), { count: delta }, { entity: 'JourneyPath', path });
    if (item) items.push(item);
  }
  return items;
};

export interface InstanceWrite {
  /** The instance as it was read (undefined: a new one). */
  before?: StoredInstance;
  after: StoredInstance;
  /** What makes this write happen once: the source event id (or a timer/manual move id). */
  appliedId: string;
  /** Customer records that newly point at the instance (the first on start, the contact after conversion). */
  newCustomers: CustomerRef[];
  timers: JourneyTimer[];
  /** The state-change history entry (outbox: journey.state-changed), when the instance entered a state. */
  entered?: { from?: string; to: string; reason: string; trigger?: CustomerRef };
  ctx: ChangeContext;
}

/** The write lost a race (another change to the instance, or a second start for the same customer): re-read and retry. */
export class InstanceRace extends Error {}
/** The source event was applied to this instance already (a redelivery): nothing to do. */
export class AlreadyApplied extends Error {}

/**
 * Persists one instance change in ONE transaction: the instance (conditional on the version read, or
 * on absence), the applied-event mark, an alias per new customer record (conditional: one instance per
 * customer per journey), the report counter ADDs (reportChange of the visits before → after), the
 * `journey.state-changed` history entry, and the shared timer's outbox items for the new waits.
 */
export const writeInstance = async (deps: AppDeps, write: InstanceWrite): Promise<void> => {
  const { before, after } = write;
  const now = deps.clock().toISOString();
  const item: InstanceItem = { ...journeyKeys.instance(after.instanceId), ...journeyKeys.instanceList(after.journeyId, after.startedAt, after.instanceId), entity: 'JourneyInstance', ...after, updatedAt: now, rev: (before?.rev ?? 0) + 1 };
  const items: TransactItem[] = [
    before
      ? { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'rev = :r', ExpressionAttributeValues: { ':r': before.rev } } }
      : { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
    { Put: { TableName: deps.tableName, Item: { ...journeyKeys.applied(after.instanceId, write.appliedId), entity: 'JourneyApplied', expiresAt: Math.floor(deps.clock().getTime() / 1000) + 30 * 86_400 }, ConditionExpression: 'attribute_not_exists(PK)' } },
    ...write.newCustomers.map((c) => ({
      Put: {
        TableName: deps.tableName,
        Item: { ...journeyKeys.customer(c.id, after.journeyId), entity: 'JourneyCustomer', journeyId: after.journeyId, instanceId: after.instanceId, module: c.module, recordId: c.id },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })),
  ];
  const aliasEnd = items.length;
  items.push(...reportItems(deps.tableName, after.journeyId, after.startedAt, reportChange(before?.visits ?? [], after.visits)));
  if (write.entered) {
    const customer = after.customers.at(-1)!;
    items.push(
      historyPut(deps.tableName, {
        subjectPK: journeyKeys.instance(after.instanceId).PK,
        subject: { type: 'journey-instance', id: after.instanceId },
        eventId: deps.newId(),
        eventName: 'journey.state-changed',
        occurredAt: now,
        changes: [{ field: 'state', old: write.entered.from ?? null, new: write.entered.to }],
        data: {
          journeyId: after.journeyId,
          journeyVersion: after.journeyVersion,
          instanceId: after.instanceId,
          ...(write.entered.from ? { from: write.entered.from } : {}),
          to: write.entered.to,
          reason: write.entered.reason,
          version: after.version,
          customer,
          ...(write.entered.trigger ? { trigger: write.entered.trigger } : {}),
        },
        context: write.ctx,
      }),
    );
  }
  for (const timer of write.timers) {
    items.push(timerTransactItem(deps.tableName, { kind: JOURNEY_TIMER_KIND, key: `${after.instanceId}#${timer.transitionId}`, wakeAt: cappedWake(timer.wakeAt, deps.clock()), token: timerToken(timer) }, { eventId: deps.newId(), occurredAt: now, context: write.ctx }));
  }
  try {
    await transactWrite(deps, items);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    if (error.failedIndexes.includes(1) && !error.failedIndexes.includes(0)) throw new AlreadyApplied(`${write.appliedId} was applied to ${after.instanceId} already`);
    if (error.failedIndexes.some((i) => i === 0 || (i >= 2 && i < aliasEnd))) throw new InstanceRace(`Instance ${after.instanceId} changed meanwhile`);
    throw error;
  }
  if (write.entered) businessMetric('JourneyMoves', 1, { journey: after.journeyName });
};

/** A timer's token: the instance version it was set at, and the real deadline (a far one is reached in hops). */
export const timerToken = (timer: JourneyTimer): string => `v${timer.version}@${timer.wakeAt}`;
export const parseTimerToken = (token: string): { version: number; deadline: string } | undefined => {
  const match = /^v(\d+)@([^#]+)/.exec(token);
  return match ? { version: Number(match[1]), deadline: match[2]! } : undefined;
};

/** The shared timer waits at most MAX_TIMER_DAYS; a later deadline wakes early and waits again. */
const HOP_DAYS = 350;
export const cappedWake = (wakeAt: string, now: Date): string => {
  const limit = now.getTime() + HOP_DAYS * 86_400_000;
  return Date.parse(wakeAt) > limit ? new Date(limit).toISOString() : wakeAt;
};

/** Report counters of a period: the day items between `from` and `to` (inclusive, YYYY-MM-DD), and the occupancy. */
export const readReportCounters = async (deps: AppDeps, journeyId: string, range: { from?: string | undefined; to?: string | undefined }) => {
  const pk = journeyKeys.reportPartition(journeyId);
  const lower = `${journeyKeys.reportDayPrefix}${range.from ?? '0000-00-00'}`;
  const upper = `${journeyKeys.reportDayPrefix}${range.to ?? '9999-99-99'}`;
  const [days, now] = await Promise.all([
    queryAll<Record<string, unknown>>(deps, { KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b', ExpressionAttributeValues: { ':pk': pk, ':a': lower, ':b': upper } }),
    deps.db.send(new GetCommand({ TableName: deps.tableName, Key: journeyKeys.reportNow(journeyId) })),
  ]);
  const numeric = (item: Record<string, unknown>): Deltas => Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as Deltas;
  return { days: days.map(numeric), now: numeric(now.Item ?? {}) };
};

/** The path counters of instances started between `from` and `to`, each with its start day (the drop-off's input). O(days × distinct paths). */
export const readRouteCounts = async (deps: AppDeps, journeyId: string, range: { from?: string | undefined; to?: string | undefined } = {}): Promise<RouteCount[]> => {
  const items = await queryAll<{ SK: string; path: string; count: number }>(deps, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':pk': journeyKeys.pathPartition(journeyId), ':a': `${range.from ?? '0000-00-00'}#`, ':b': `${range.to ?? '9999-99-99'}#\uffff` },
  });
  return items.filter((i) => typeof i.count === 'number').map((i) => ({ path: i.path, startDay: pathStartDay(i.SK), count: i.count }));
};

/** The path counters of instances started between `from` and `to`: path → instances whose whole path it is now. */
export const readPathCounters = async (deps: AppDeps, journeyId: string, range: { from?: string | undefined; to?: string | undefined } = {}): Promise<Record<string, number>> => sumRoutes(await readRouteCounts(deps, journeyId, range));

/** Route counts of every start day summed per path. */
export const sumRoutes = (routes: readonly RouteCount[]): Record<string, number> => {
  const paths: Record<string, number> = {};
  for (const r of routes) paths[r.path] = (paths[r.path] ?? 0) + r.count;
  return paths;
};
