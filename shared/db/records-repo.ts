import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { applyPatch, diffFields, type FieldPatch, type FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { BadRequest, Conflict, Locked, NotFound, PreconditionFailed, type FieldError } from '../http/errors.js';
import { recordKeys } from './keys.js';
import { OPTIMISTIC_WRITE_BUDGET, retrier, type RetryBudget } from './backoff.js';
import { businessMetric } from '../adapters/metrics.js';
import { batchGet } from './query.js';
import { historyPut, type ChangeContext, type HistoryChange } from './history.js';
import { indexWrites, type IndexWrite } from './record-index-items.js';
import { recordViewGeneration, viewGeneration } from './record-view-items.js';
import { ConditionFailed, isTransactionConflict, NO_CONFLICT_RETRY, transactWrite, type TransactItem } from './transact.js';

export interface RecordLock {
  kind: 'approval' | 'review';
  id: string;
  since: string;
}

export interface RecordItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  entity: 'Record';
  id: string;
  module: string;
  version: number;
  ownerId: string;
  fields: FieldValues;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  lock?: RecordLock;
  /** The view generation that counts this record (absent: the first); see record-view-items.ts. */
  viewGen?: number;
}

/**
 * What the record counts for in the module's current view generation: its fields when it was last
 * written in that generation, nothing when the backfill has not counted it yet. A record of a newer
 * generation than the module read means the definition changed a moment ago: 409, try again.
 */
const countedInViews = (module: ModuleMetadata, record: RecordItem): FieldValues | undefined => {
  const counted = recordViewGeneration(record);
  if (counted > viewGeneration(module)) throw new Conflict(`The ${module.name} definition changed a moment ago; try again`);
  return counted === viewGeneration(module) ? record.fields : undefined;
};

/**
 * The record is as read: same version, and the view backfill has not counted it meanwhile (its stamp
 * does not change the version, which is the caller's ETag).
 */
const unchangedSince = (current: RecordItem) => ({
  ConditionExpression: current.viewGen === undefined ? 'version = :v AND attribute_not_exists(viewGen)' : 'version = :v AND viewGen = :vg',
  ExpressionAttributeValues: { ':v': current.version, ...(current.viewGen === undefined ? {} : { ':vg': current.viewGen }) },
});

/** The stamp that says which view generation counts a record written now. */
const viewStamp = (module: ModuleMetadata): Pick<RecordItem, 'viewGen'> => (viewGeneration(module) > 1 ? { viewGen: viewGeneration(module) } : {});

export const toRecordView = (item: RecordItem) => ({
  id: item.id,
  module: item.module,
  version: item.version,
  ownerId: item.ownerId,
  fields: item.fields,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  ...(item.lock ? { lock: item.lock } : {}),
});
export type RecordView = ReturnType<typeof toRecordView>;

export const recordEventData = (item: RecordItem, changes: HistoryChange[]) => ({
  module: item.module,
  recordId: item.id,
  version: item.version,
  ownerId: item.ownerId,
  changes,
  record: toRecordView(item),
});

/** Turns a failed derived-item condition into the field error a user can act on. */
const guardErrors = (writes: IndexWrite[], offset: number, failed: number[]): { errors: FieldError[]; conflict: boolean } => {
  const errors: FieldError[] = [];
  let conflict = false;
  for (const index of failed) {
    const guard = writes[index - offset]?.guard;
    if (!guard) continue;
    if (guard.kind === 'unique') {
      conflict = true;
      errors.push({ path: `fields.${guard.field}`, message: 'Another record already has this value' });
    } else if (guard.kind === 'lookupTarget') {
      errors.push({ path: `fields.${guard.field}`, message: `No ${guard.module} record with this id` });
    } else {
      errors.push({ path: `fields.${guard.field}`, message: 'No user with this id' });
    }
  }
  return { errors, conflict };
};

const throwGuardFailure = (writes: IndexWrite[], offset: number, failed: number[]): never => {
  const { errors, conflict } = guardErrors(writes, offset, failed);
  if (conflict) throw new Conflict('A unique field value is already taken', errors);
  throw new BadRequest('Invalid record fields', errors);
};

/** The history entry (and outbox event) of a change to one record. */
const recordHistoryPut = (deps: AppDeps, item: RecordItem, eventName: string, occurredAt: string, changes: HistoryChange[], ctx: ChangeContext): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: item.PK,
    subject: { type: 'record', id: item.id, module: item.module },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    changes,
    data: recordEventData(item, changes),
    context: ctx,
  });

const lockedError = (lock: RecordLock): Locked => new Locked(`This record is locked by a pending ${lock.kind} (${lock.id})`);

export const getRecord = async (deps: AppDeps, module: string, id: string, consistent = true): Promise<RecordItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: recordKeys.key(module, id), ConsistentRead: consistent }));
  return res.Item as RecordItem | undefined;
};

export const requireRecord = async (deps: AppDeps, module: string, id: string): Promise<RecordItem> => {
  const item = await getRecord(deps, module, id);
  if (!item) throw new NotFound(`No ${module} record ${id}`);
  return item;
};

/** The records that exist among `ids`, in the order of `ids`. */
export const getRecords = async (deps: AppDeps, module: string, ids: readonly string[]): Promise<RecordItem[]> => {
  const items = await batchGet<RecordItem>(deps, [...new Set(ids)].map((id) => recordKeys.key(module, id)));
  const found = new Map(items.map((item) => [item.id, item]));
  return ids.flatMap((id) => (found.has(id) ? [found.get(id) as RecordItem] : []));
};

export interface NewRecord {
  id: string;
  ownerId: string;
  fields: FieldValues;
}

/**
 * Creates a record.
 * Steps: build the item (version 1) → derive lookup/unique/ref/counter items → one transaction with the
 * record, its `record.created` history entry and the derived items → map failed guards to field errors.
 */
export const createRecord = async (
  deps: AppDeps,
  module: ModuleMetadata,
  input: NewRecord,
  ctx: ChangeContext,
  extraItems: TransactItem[] = [],
): Promise<RecordItem> => {
  const now = deps.clock().toISOString();
  const item: RecordItem = {
    ...recordKeys.item(module.name, input.id, now),
    entity: 'Record',
    id: input.id,
    module: module.name,
    version: 1,
    ownerId: input.ownerId,
    fields: input.fields,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.actor,
    updatedBy: ctx.actor,
    ...viewStamp(module),
  };
  const changes = Object.entries(input.fields).map(([field, value]) => ({ field, old: null, new: value }));
  const writes = indexWrites(deps.tableName, module, input.id, undefined, input.fields, deps.defaultPhoneRegion);
  const head: TransactItem[] = [
    { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
    recordHistoryPut(deps, item, 'record.created', now, changes, ctx),
  ];
  try {
    await transactWrite(deps, [...head, ...writes.map((w) => w.item), ...extraItems]);
  } catch (error) {
    if (error instanceof ConditionFailed) {
      if (error.failedIndexes.includes(0)) throw new Conflict(`A ${module.name} record with id ${input.id} already exists`);
      throwGuardFailure(writes, head.length, error.failedIndexes);
    }
    throw error;
  }
  businessMetric('RecordsCreated', 1, { module: module.name });
  return item;
};

export interface RecordPatch {
  fields: FieldPatch;
  ownerId?: string;
}

export interface UpdateOptions {
  /** From If-Match: the version the caller read. A different current version → 412. */
  expectedVersion?: number;
  /** Lets automation write to a locked record (e.g. the approval that holds the lock). */
  ignoreLock?: boolean;
  /** Called with the current record before writing: access checks, blueprint rules… may throw. */
  check?: (current: RecordItem, change: PendingChange) => void | Promise<void>;
  extraItems?: (current: RecordItem, next: RecordItem) => TransactItem[];
  eventName?: string;
  /**
   * The record as the caller already read it (with a strongly consistent read) in the request's first
   * round trip: the first attempt writes against it instead of reading it again. Retries re-read.
   */
  current?: RecordItem;
  /** How long a PATCH without If-Match keeps re-reading and re-applying after lost races. */
  retryBudget?: RetryBudget;
}

/** What a write is about to do to a record: the pre-write checks see it before anything is written. */
export interface PendingChange {
  kind: 'update' | 'delete';
  /** The record as it will be written (absent for a delete). */
  next?: RecordItem;
  /** Field-level old → new (every field for a delete). */
  changes: HistoryChange[];
}

/**
 * The one place every write of an existing record passes before its transaction (PATCH, DELETE, team
 * requests, and later automation): the caller's checks (access rules; later governed fields of a
 * blueprint), then If-Match (412), then a pending approval/review lock (423). Re-run on every retry,
 * against the version that retry read.
 */
const preWriteChecks = async (current: RecordItem, change: PendingChange, options: Pick<UpdateOptions, 'check' | 'expectedVersion' | 'ignoreLock'>): Promise<void> => {
  await options.check?.(current, change);
  if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) throw new PreconditionFailed();
  if (current.lock && !options.ignoreLock) throw lockedError(current.lock);
};

/**
 * Patches a record.
 * Steps: read (or take the caller's first read) → diff → pre-write checks (access, If-Match, lock) →
 * one conditional transaction on `version` (record, `record.updated` history entry, derived items).
 * Without If-Match a lost race re-reads and re-applies the patch (field-level, so no update is lost),
 * after a full-jitter backoff, within a retry budget sized for real contention (409 when spent);
 * with If-Match a lost race is a 412.
 */
export const updateRecord = async (
  deps: AppDeps,
  module: ModuleMetadata,
  id: string,
  patch: RecordPatch,
  ctx: ChangeContext,
  options: UpdateOptions = {},
): Promise<{ item: RecordItem; changes: HistoryChange[] }> => {
  const retries = retrier(options.retryBudget ?? deps.writeRetryBudget ?? OPTIMISTIC_WRITE_BUDGET);
  let firstRead = options.current;
  for (;;) {
    const current = firstRead ?? (await requireRecord(deps, module.name, id));
    firstRead = undefined;
    const changes: HistoryChange[] = diffFields(current.fields, patch.fields);
    if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId) changes.push({ field: 'ownerId', old: current.ownerId, new: patch.ownerId });

    const now = deps.clock().toISOString();
    const fields = applyPatch(current.fields, patch.fields);
    const next: RecordItem = {
      ...current,
      ...recordKeys.item(module.name, id, now),
      version: current.version + 1,
      ownerId: patch.ownerId ?? current.ownerId,
      fields,
      updatedAt: now,
      updatedBy: ctx.actor,
      ...viewStamp(module),
    };
    await preWriteChecks(current, { kind: 'update', next, changes }, options);
    if (changes.length === 0) return { item: current, changes };

    const writes = indexWrites(deps.tableName, module, id, current.fields, fields, deps.defaultPhoneRegion, { fields: countedInViews(module, current) });
    const head: TransactItem[] = [
      {
        Put: {
          TableName: deps.tableName,
          Item: next,
          ...unchangedSince(current),
        },
      },
      recordHistoryPut(deps, next, options.eventName ?? 'record.updated', now, changes, ctx),
    ];
    try {
      // A conflicting transaction usually means another writer is winning this version: re-read
      // (after the backoff) rather than retry a write that is about to be stale.
      await transactWrite(deps, [...head, ...writes.map((w) => w.item), ...(options.extraItems?.(current, next) ?? [])], NO_CONFLICT_RETRY);
      businessMetric('RecordsUpdated', 1, { module: module.name });
      return { item: next, changes };
    } catch (error) {
      if (error instanceof ConditionFailed) {
        if (!error.failedIndexes.includes(0)) throwGuardFailure(writes, head.length, error.failedIndexes);
        // The re-read's pre-write checks answer 412 under If-Match if the version moved; a view backfill's stamp alone does not.
      } else if (!isTransactionConflict(error)) {
        throw error;
      }
      if (!(await retries.retry())) throw new Conflict('The record is being changed by many others at once; try again');
    }
  }
};

/**
 * Deletes a record with its derived items (and the caller's `extraItems`, e.g. a request locator); the
 * `record.deleted` history entry keeps what it was.
 */
export const deleteRecord = async (
  deps: AppDeps,
  module: ModuleMetadata,
  id: string,
  ctx: ChangeContext,
  options: Pick<UpdateOptions, 'expectedVersion' | 'check' | 'current'> & { extraItems?: (current: RecordItem) => TransactItem[] } = {},
): Promise<RecordItem> => {
  const current = options.current ?? (await requireRecord(deps, module.name, id));
  const changes = Object.entries(current.fields).map(([field, value]) => ({ field, old: value, new: null }));
  await preWriteChecks(current, { kind: 'delete', changes }, options);
  const now = deps.clock().toISOString();
  const writes = indexWrites(deps.tableName, module, id, current.fields, undefined, deps.defaultPhoneRegion, { fields: countedInViews(module, current) });
  try {
    await transactWrite(deps, [
      {
        Delete: {
          TableName: deps.tableName,
          Key: recordKeys.key(module.name, id),
          ...unchangedSince(current),
        },
      },
      recordHistoryPut(deps, current, 'record.deleted', now, changes, ctx),
      ...writes.map((w) => w.item),
      ...(options.extraItems?.(current) ?? []),
    ]);
  } catch (error) {
    if (!(error instanceof ConditionFailed && error.failedIndexes.includes(0))) throw error;
    // Only the view backfill's stamp moved (same version): delete what is there now. Anything else: 412.
    const latest = await getRecord(deps, module.name, id);
    if (latest?.version === current.version && recordViewGeneration(latest) !== recordViewGeneration(current)) return deleteRecord(deps, module, id, ctx, { ...options, current: latest });
    throw new PreconditionFailed();
  }
  return current;
};
