import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { applyPatch, diffFields, type FieldPatch, type FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import type { BlueprintBinding, RecordLock, WriteChannel } from '../domain/records/write-guards.js';
import { recordKeys } from './keys.js';
import { OPTIMISTIC_WRITE_BUDGET, retrier, type RetryBudget } from './backoff.js';
import { businessMetric } from '../adapters/metrics.js';
import { batchGet } from './query.js';
import { historyPut, type ChangeContext, type HistoryChange } from './history.js';
import { indexWrites, type IndexWrite } from './record-index-items.js';
import { recordViewGeneration, viewGeneration } from './record-view-items.js';
import { ExtraItemsRaceLost, ProcessRaceLost } from './lost-race.js';
import { ConditionFailed, isTransactionConflict, NO_CONFLICT_RETRY, transactWrite, type TransactItem } from './transact.js';
import { getModuleProcesses, type ModuleProcesses } from './module-processes-repo.js';
import { checkDeleteProcesses, planCreateProcesses, planUpdateProcesses, stayTimerItems } from './record-processes.js';
import { Invalid, Conflict, NotFound, StaleVersion, type FieldError } from '../domain/errors.js';

export type { RecordLock } from '../domain/records/write-guards.js';

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
  /** The blueprint (and its version) this record runs on, once it entered it. */
  blueprint?: BlueprintBinding;
  /** Set when an org admin erased its personal data (see erasure-repo.ts): no write changes it and nothing contacts it again. */
  erasure?: RecordErasure;
}

/** Who erased a record, when and why; `pending` until every copy is scrubbed (a retry finishes it). */
export interface RecordErasure {
  status: 'pending' | 'done';
  requestedAt: string;
  requestedBy: string;
  reason: string;
  /** The fields erased (those marked personal when it was asked for). */
  fields: string[];
  erasedAt?: string;
  /**
   * While pending only: every personal value the record ever held (current and former), so a retry still
   * finds their copies. Kept no longer than the values themselves: the last step removes both.
   */
  hunted?: string[];
}

/** An erased record (or one being erased) is never contacted again: every sender and enroller asks this. */
export const isErased = (record: Pick<RecordItem, 'erasure'>): boolean => record.erasure !== undefined;

const toLockView = (lock: RecordLock) => ({
  reason: lock.reason ?? 'approval',
  ...(lock.approvalId ? { approvalId: lock.approvalId } : {}),
  ...(lock.reviewId ? { reviewId: lock.reviewId } : {}),
  since: lock.since,
  editableFields: lock.editableFields ?? [],
});

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

const erasureView = ({ hunted: _hunted, ...erasure }: RecordErasure) => erasure;

export const toRecordView = (item: RecordItem) => ({
  id: item.id,
  module: item.module,
  version: item.version,
  ownerId: item.ownerId,
  fields: item.fields,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  ...(item.lock ? { lock: toLockView(item.lock) } : {}),
  ...(item.erasure ? { erasure: erasureView(item.erasure) } : {}),
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

const guardFailure = (writes: IndexWrite[], offset: number, failed: number[]): Error => {
  const { errors, conflict } = guardErrors(writes, offset, failed);
  if (conflict) return new Conflict('A unique field value is already taken', errors);
  return new Invalid('Invalid record fields', errors);
};

/** The history entry (and outbox event) of a change to one record. */
const recordHistoryPut = (deps: AppDeps, item: RecordItem, eventName: string, occurredAt: string, changes: HistoryChange[], ctx: ChangeContext, extraData: Record<string, unknown> = {}): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: item.PK,
    subject: { type: 'record', id: item.id, module: item.module },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    changes,
    data: { ...recordEventData(item, changes), ...extraData },
    context: ctx,
  });

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

/** The items of a record's creation, for the caller's own transaction (see createRecord, lead conversion). */
export interface CreateItems {
  item: RecordItem;
  /** The record, its `record.created` history entry, then the derived items. */
  items: TransactItem[];
  /** Maps a failed condition at `failed` (indexes into the caller's transaction, this part at `offset`) to the error to throw, if it is this part's. */
  failure: (offset: number, failed: number[]) => Error | undefined;
}

/**
 * Builds the items of a record's creation (version 1): the module's process rules (the write guards;
 * entering its blueprint; approvals or reviews the create triggers), the record, its `record.created`
 * history entry, the derived lookup/unique/ref/counter items, then the processes' items and timers.
 * The one builder every create path uses.
 * `createdAlongside`: records created in the same transaction (their existence checks are implied).
 */
export const buildCreateItems = async (
  deps: AppDeps,
  module: ModuleMetadata,
  input: NewRecord,
  ctx: ChangeContext,
  options: { createdAlongside?: readonly RecordItem[]; processes?: ModuleProcesses } = {},
): Promise<CreateItems> => {
  const now = deps.clock().toISOString();
  // The module's processes (as the caller read them, or read now): the write guards, entering its
  // blueprint, approvals/reviews the create triggers.
  const procs = options.processes ?? (await getModuleProcesses(deps, module.name));
  const plan = await planCreateProcesses(deps, procs, { id: input.id, module: module.name, ownerId: input.ownerId, fields: input.fields, createdBy: ctx.actor }, ctx, now);
  const fields = { ...input.fields, ...plan.setFields };
  const item: RecordItem = {
    ...recordKeys.item(module.name, input.id, now),
    entity: 'Record',
    id: input.id,
    module: module.name,
    version: 1,
    ownerId: input.ownerId,
    fields,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.actor,
    updatedBy: ctx.actor,
    ...viewStamp(module),
    ...(plan.lock ? { lock: plan.lock } : {}),
    ...(plan.blueprint ? { blueprint: plan.blueprint } : {}),
  };
  const changes = Object.entries(fields).map(([field, value]) => ({ field, old: null, new: value }));
  // One transaction touches an item once: a record created alongside needs no existence check.
  const alongside = new Set((options.createdAlongside ?? []).map((r) => `${r.PK}|${r.SK}`));
  const writes = indexWrites(deps.tableName, module, input.id, undefined, fields, deps.defaultPhoneRegion).filter((w) => {
    const key = w.item.ConditionCheck?.Key;
    return !(key && alongside.has(`${String(key.PK)}|${String(key.SK)}`));
  });
  const head: TransactItem[] = [
    { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
    recordHistoryPut(deps, item, 'record.created', now, changes, ctx),
  ];
  // Entering a blueprint starts a stay: its automatic transitions' timers go in the same transaction.
  const timers = await stayTimerItems(deps, item, now, ctx);
  const items = [...head, ...writes.map((w) => w.item), ...plan.items, ...timers];
  const failure = (offset: number, failed: number[]): Error | undefined => {
    const mine = failed.filter((i) => i >= offset && i < offset + items.length).map((i) => i - offset);
    if (mine.length === 0) return undefined;
    if (mine.includes(0)) return new Conflict(`A ${module.name} record with id ${input.id} already exists`);
    return guardFailure(writes, head.length, mine);
  };
  return { item, items, failure };
};

/**
 * What a failed condition of the caller's extra items means (`failed`: indexes into them), for
 * createRecord and updateRecord alike: the caller's own error (e.g. ActionAlreadyDone: another delivery
 * carried the action out), or undefined when it names none of them. It is asked first: a mark that says
 * the work was done elsewhere makes the record's own failures (a stale version, a guard) moot. Unnamed,
 * an extra item's failure is never a field error: ExtraItemsRaceLost (409), whatever the record's part
 * said first (a stale version still re-reads, a guard still names its field).
 */
export type ExtraFailure = (failed: number[]) => Error | undefined;

/** The caller's error for the failed extra items (from `offset` in the transaction), if it names one. */
export const namedExtraFailure = (failed: number[], offset: number, hook: ExtraFailure | undefined): Error | undefined => {
  const ofExtras = failed.filter((i) => i >= offset).map((i) => i - offset);
  return ofExtras.length > 0 ? hook?.(ofExtras) : undefined;
};

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
  options: {
    processes?: ModuleProcesses;
    extraFailure?: ExtraFailure;
  } = {},
): Promise<RecordItem> => {
  const built = await buildCreateItems(deps, module, input, ctx, options.processes ? { processes: options.processes } : {});
  try {
    await transactWrite(deps, [...built.items, ...extraItems]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    throw namedExtraFailure(error.failedIndexes, built.items.length, options.extraFailure) ?? built.failure(0, error.failedIndexes) ?? new ExtraItemsRaceLost();
  }
  businessMetric('RecordsCreated', 1, { module: module.name });
  return built.item;
};

export interface RecordPatch {
  fields: FieldPatch;
  ownerId?: string;
}

/** A process's own change of a record, planned from the record as read (re-planned on a lost race). */
export interface ProcessChange {
  fields: FieldPatch;
  /** Set (or clear, null) the lock: the approval/review that holds it, or starts. */
  lock?: RecordLock | null;
  blueprint?: BlueprintBinding;
  /** Items written in the same transaction (the approval, the transition's history entry…). */
  items?: TransactItem[];
}

export interface UpdateOptions {
  /** From If-Match: the version the caller read. A different current version → 412. */
  expectedVersion?: number;
  /**
   * The path of the write for the write guards: plain (default), a blueprint transition (may change
   * its governed field), or the process that holds the record's lock (may write it and unlock it).
   */
  channel?: WriteChannel;
  /** A process's change, computed from the current record on each attempt; replaces `patch.fields`. */
  plan?: (current: RecordItem) => ProcessChange | Promise<ProcessChange>;
  /** Called with the current record before writing: access checks may throw. */
  check?: (current: RecordItem, change: PendingChange) => void | Promise<void>;
  /** Items written in the same transaction (a request's entries, an action's marks), planned on each attempt. */
  extraItems?: (current: RecordItem, next: RecordItem) => TransactItem[];
  /** What a failed condition of `extraItems` means (see ExtraFailure). */
  extraFailure?: ExtraFailure;
  eventName?: string;
  /**
   * The record as the caller already read it (with a strongly consistent read) in the request's first
   * round trip: the first attempt writes against it instead of reading it again. Retries re-read.
   */
  current?: RecordItem;
  /** The module's process state as the caller already read it (first attempt only; retries re-read). */
  processes?: ModuleProcesses;
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

/** A converted lead is closed: it cannot be edited or converted again (its contact carries on). */
export const isConvertedLead = (record: Pick<RecordItem, 'module' | 'fields'>): boolean => record.module === 'Leads' && record.fields.converted === true;

/**
 * The one place every write of an existing record passes before its transaction (PATCH, DELETE, team
 * requests, transitions, approvals, lead conversion, automation): the caller's checks (access rules),
 * then If-Match (412), then a converted lead (409: it cannot be edited or converted again). The process
 * rules for every caller alike (record-processes.ts → the pure write guards: a pending approval/review
 * lock 423, a field governed by a blueprint 422) run as the change is built (buildUpdateItems). Re-run
 * on every retry, against the version that retry read.
 */
export const preWriteChecks = async (current: RecordItem, change: PendingChange, options: Pick<UpdateOptions, 'check' | 'expectedVersion'>): Promise<void> => {
  await options.check?.(current, change);
  // Erased: nothing may bring a personal value back. A finished erasure may still be deleted.
  if (current.erasure && (change.kind === 'update' || current.erasure.status === 'pending')) throw new Conflict(`${current.module} record ${current.id} has been erased: it can no longer be changed`);
  if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) throw new StaleVersion();
  if (change.kind === 'update' && isConvertedLead(current)) throw new Conflict(`Lead ${current.id} has been converted: it can no longer be changed or converted again`);
};

/** The items of a change to a record, for the caller's own transaction (see updateRecord, lead conversion). */
export interface UpdateItems {
  next: RecordItem;
  changes: HistoryChange[];
  /** Nothing to write: no field changes and no process change. */
  noop: boolean;
  /** The record (conditional on being as read), its history entry, the derived items, then the processes' items. */
  items: TransactItem[];
  writes: IndexWrite[];
  /** The error for a failed condition of this part (at `offset` in the caller's transaction); `stale` when the record moved on. */
  failure: (offset: number, failed: number[]) => Error | 'stale' | undefined;
}

/**
 * Builds the items of a change to `current` (version + 1), the one builder every update path uses:
 * the process rules first (the write guards: 423 locked, 422 governed field; approvals or reviews the
 * change triggers, a blueprint stay), then the record conditional on being as read, the history entry
 * (`record.updated` unless `eventName` says otherwise, with `extraData` in its event data), the derived
 * items, and the processes' items (approval/review items, timers of a new blueprint stay).
 */
export const buildUpdateItems = async (
  deps: AppDeps,
  module: ModuleMetadata,
  current: RecordItem,
  patch: RecordPatch,
  ctx: ChangeContext,
  options: { eventName?: string | undefined; extraData?: Record<string, unknown>; processes?: ModuleProcesses; channel?: WriteChannel | undefined; change?: ProcessChange } = {},
): Promise<UpdateItems> => {
  const procs = options.processes ?? (await getModuleProcesses(deps, module.name));
  const change: ProcessChange = options.change ?? { fields: patch.fields };
  const changes: HistoryChange[] = diffFields(current.fields, change.fields);
  if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId) changes.push({ field: 'ownerId', old: current.ownerId, new: patch.ownerId });
  const processOnly = change.lock !== undefined || change.blueprint !== undefined || (change.items?.length ?? 0) > 0;

  const now = deps.clock().toISOString();
  const patched = applyPatch(current.fields, change.fields);
  const plan = changes.length === 0 && !processOnly ? undefined : await planUpdateProcesses(deps, procs, current, patched, changes.map((c) => c.field), ctx, options.channel ?? { kind: 'plain' }, now);
  const fields = { ...patched, ...plan?.setFields };
  for (const [field, value] of Object.entries(plan?.setFields ?? {})) if (!changes.some((c) => c.field === field) && current.fields[field] !== value) changes.push({ field, old: current.fields[field] ?? null, new: value });
  const { lock: _lock, blueprint: _blueprint, ...rest } = current;
  const lock = change.lock === null ? undefined : (change.lock ?? plan?.lock ?? current.lock);
  const blueprint = change.blueprint ?? plan?.blueprint ?? current.blueprint;
  const next: RecordItem = {
    ...rest,
    ...recordKeys.item(module.name, current.id, now),
    version: current.version + 1,
    ownerId: patch.ownerId ?? current.ownerId,
    fields,
    updatedAt: now,
    updatedBy: ctx.actor,
    ...viewStamp(module),
    ...(lock ? { lock } : {}),
    ...(blueprint ? { blueprint } : {}),
  };
  const noop = changes.length === 0 && !processOnly;
  const writes = noop ? [] : indexWrites(deps.tableName, module, current.id, current.fields, fields, deps.defaultPhoneRegion, { fields: countedInViews(module, current) });
  const head: TransactItem[] = [
    { Put: { TableName: deps.tableName, Item: next, ...unchangedSince(current) } },
    // A process-only write (a lock taken or released) is told by the process's own history entry.
    ...(changes.length > 0 ? [recordHistoryPut(deps, next, options.eventName ?? 'record.updated', now, changes, ctx, options.extraData)] : []),
  ];
  // A new stay in a blueprint state (entered, moved, sent back, overridden): its automatic transitions' timers.
  const timers = !noop && next.blueprint && next.blueprint.token !== current.blueprint?.token ? await stayTimerItems(deps, next, now, ctx) : [];
  const processItems = [...(change.items ?? []), ...(plan?.items ?? []), ...timers];
  const items = [...head, ...writes.map((w) => w.item), ...processItems];
  const failure = (offset: number, failed: number[]): Error | 'stale' | undefined => {
    const mine = failed.filter((i) => i >= offset && i < offset + items.length).map((i) => i - offset);
    if (mine.length === 0) return undefined;
    if (mine.includes(0)) return 'stale';
    if (mine.some((i) => i >= head.length + writes.length)) return new ProcessRaceLost();
    return guardFailure(writes, head.length, mine);
  };
  return { next, changes, noop, items, writes, failure };
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
  let firstProcesses = options.processes;
  for (;;) {
    // The record and the module's process state, in parallel (or as the caller already read them).
    const [current, procs] = await Promise.all([firstRead ?? requireRecord(deps, module.name, id), firstProcesses ?? getModuleProcesses(deps, module.name)]);
    firstRead = undefined;
    firstProcesses = undefined;
    await preWriteChecks(current, { kind: 'update', next: current, changes: [] }, options);
    const change: ProcessChange = options.plan ? await options.plan(current) : { fields: patch.fields };
    const built = await buildUpdateItems(deps, module, current, patch, ctx, { eventName: options.eventName, processes: procs, channel: options.channel, change });
    const { next, changes } = built;
    if (built.noop) return { item: current, changes };

    try {
      // A conflicting transaction usually means another writer is winning this version: re-read
      // (after the backoff) rather than retry a write that is about to be stale.
      await transactWrite(deps, [...built.items, ...(options.extraItems?.(current, next) ?? [])], NO_CONFLICT_RETRY);
      businessMetric('RecordsUpdated', 1, { module: module.name });
      return { item: next, changes };
    } catch (error) {
      if (error instanceof ConditionFailed) {
        const failure = namedExtraFailure(error.failedIndexes, built.items.length, options.extraFailure) ?? built.failure(0, error.failedIndexes);
        if (failure !== 'stale') throw failure ?? new ExtraItemsRaceLost();
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
  options: Pick<UpdateOptions, 'expectedVersion' | 'check' | 'current' | 'channel'> & { extraItems?: (current: RecordItem) => TransactItem[] } = {},
): Promise<RecordItem> => {
  const current = options.current ?? (await requireRecord(deps, module.name, id));
  const changes = Object.entries(current.fields).map(([field, value]) => ({ field, old: value, new: null }));
  await preWriteChecks(current, { kind: 'delete', changes }, options);
  checkDeleteProcesses(current, options.channel ?? { kind: 'plain' });
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
    throw new StaleVersion();
  }
  return current;
};
