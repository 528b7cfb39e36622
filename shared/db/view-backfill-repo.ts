import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { moduleViewBackfillContinued } from '../events/catalog/module-view-backfill-continued.js';
import { historyPut } from './history.js';
import { moduleKeys, recordKeys, viewBackfillKeys } from './keys.js';
import { retryLostRace, retryUnlessIfMatch } from './lost-race.js';
import { queryPage } from './query.js';
import { getRecord, type RecordItem } from './records-repo.js';
import { recordViewGeneration, viewGeneration, viewWrites } from './record-view-items.js';
import { transactWrite } from './transact.js';

export type BackfillStatus = 'running' | 'done' | 'superseded';

/** Progress of one module's view backfill for one generation (what an admin reads). */
export interface ViewBackfillItem {
  entity: 'ViewBackfill';
  module: string;
  generation: number;
  status: BackfillStatus;
  /** Records this backfill counted into the generation (others were already counted by their own writes). */
  processed: number;
  /** Records looked at so far. */
  scanned: number;
  /** Where the next page starts (a cursor of the module's records, oldest change first). */
  cursor?: string;
  /** Bumped at every saved page: two runs of the same backfill cannot both save (the second stops). */
  step: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export const toBackfillView = (item: ViewBackfillItem) => ({
  module: item.module,
  generation: item.generation,
  status: item.status,
  processed: item.processed,
  scanned: item.scanned,
  startedAt: item.startedAt,
  updatedAt: item.updatedAt,
  ...(item.finishedAt ? { finishedAt: item.finishedAt } : {}),
});

export const getBackfill = async (deps: AppDeps, module: string, generation: number): Promise<ViewBackfillItem | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: viewBackfillKeys.key(module, generation), ConsistentRead: true }))).Item as ViewBackfillItem | undefined;

/** The backfill of this generation: the existing one, or a new one created now (exactly once). */
export const startBackfill = async (deps: AppDeps, module: string, generation: number): Promise<ViewBackfillItem> => {
  const now = deps.clock().toISOString();
  const item: ViewBackfillItem = { entity: 'ViewBackfill', module, generation, status: 'running', processed: 0, scanned: 0, step: 0, startedAt: now, updatedAt: now };
  try {
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...viewBackfillKeys.key(module, generation), ...item }, ConditionExpression: 'attribute_not_exists(PK)' }));
    return item;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await getBackfill(deps, module, generation)) as ViewBackfillItem;
  }
};

/**
 * Saves a page's progress if nobody else saved since `seen` was read (compare-and-set on `step`).
 * Returns the saved item, or undefined when another run of the same backfill got there first.
 */
export const saveBackfill = async (deps: AppDeps, seen: ViewBackfillItem, change: Pick<ViewBackfillItem, 'status' | 'processed' | 'scanned'> & { cursor?: string }): Promise<ViewBackfillItem | undefined> => {
  const now = deps.clock().toISOString();
  const next: ViewBackfillItem = { ...seen, ...change, step: seen.step + 1, updatedAt: now, ...(change.status !== 'running' ? { finishedAt: now } : {}) };
  if (change.cursor === undefined) delete next.cursor;
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...viewBackfillKeys.key(seen.module, seen.generation), ...next },
        ConditionExpression: 'step = :step',
        ExpressionAttributeValues: { ':step': seen.step },
      }),
    );
    return next;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

/**
 * Counts one record into the module's current view generation, exactly once: one transaction stamps
 * the record with the generation (on the version read, and only if no write stamped it meanwhile) and
 * adds its full contribution (counters, kanban group items). The stamp is not a change of the record:
 * no history entry, no new `updatedAt`. A record written meanwhile is read again: a write since the
 * new generation began has counted it already (then nothing is left to do), a deleted one is skipped.
 * Returns whether this call counted it.
 */
export const countRecordInViews = async (deps: AppDeps, module: ModuleMetadata, seen: RecordItem): Promise<boolean> => {
  const generation = viewGeneration(module);
  return retryLostRace(
    async (attempt) => (attempt === 1 ? seen : await getRecord(deps, module.name, seen.id)),
    async (record) => {
      if (!record || recordViewGeneration(record) >= generation) return false;
      await transactWrite(deps, [
        {
          Update: {
            TableName: deps.tableName,
            Key: recordKeys.key(module.name, record.id),
            UpdateExpression: 'SET viewGen = :g',
            ConditionExpression: 'version = :v AND (attribute_not_exists(viewGen) OR viewGen < :g)',
            ExpressionAttributeValues: { ':g': generation, ':v': record.version },
          },
        },
        ...viewWrites(deps.tableName, module, record.id, undefined, record.fields),
      ]);
      return true;
    },
    retryUnlessIfMatch(undefined, `${module.name} record ${seen.id}`),
  );
};

/** A page of the module's records, oldest change first (a record changed meanwhile moves to the end). */
export const recordsOldestFirst = (deps: AppDeps, module: string, limit: number, cursor: string | undefined) =>
  queryPage<RecordItem>(
    deps,
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': recordKeys.listPartition(module) }, ScanIndexForward: true },
    limit,
    cursor,
  );

/** The record behind a list entry: the entry itself when the index projects the whole item, else a read. */
export const getRecordForBackfill = async (deps: AppDeps, module: string, listed: RecordItem): Promise<RecordItem | undefined> =>
  listed.fields && typeof listed.version === 'number' ? listed : getRecord(deps, module, listed.id);

/**
 * Puts `module.view-backfill-continued` on the outbox (a history entry of the module), so the next run
 * of a backfill that spent its budget starts from the bus like the first one: nothing is lost if this
 * run's container dies right after.
 */
export const continueBackfillLater = async (deps: AppDeps, progress: ViewBackfillItem, correlationId: string): Promise<void> => {
  await transactWrite(deps, [
    historyPut(deps.tableName, {
      subjectPK: moduleKeys.key(progress.module).PK,
      subject: { type: 'module', id: progress.module },
      eventId: deps.newId(),
      eventName: moduleViewBackfillContinued.name,
      occurredAt: deps.clock().toISOString(),
      data: { module: progress.module, generation: progress.generation },
      context: { actor: 'system', via: 'automation', correlationId },
    }),
  ]);
};
