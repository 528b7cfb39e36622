import { businessMetric } from '../adapters/metrics.js';
import type { AppDeps } from '../adapters/deps.js';
import type { FieldPatch, FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { REQUEST_FIELD, requestTitle, type HandledStatus, type RequestStatus } from '../domain/teams/requests.js';
import { historyPut, readHistoryItem, type ChangeContext, type HistoryItem, type StoredHistoryItem } from './history.js';
import { historyKeys, requestKeys } from './keys.js';
import { createRecord, updateRecord, type RecordItem, type UpdateOptions } from './records-repo.js';
import type { ModuleProcesses } from './module-processes-repo.js';
import type { RequestEventData, RequestLocator } from './requests-repo.js';
import { requestIdModule } from '../domain/teams/request-id.js';
import { historyCopyPut, requestItemDelete, historyCopyUpdate, type HistoryCopyState } from './request-history-copy.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import { Conflict } from '../domain/errors.js';

const requestHistoryPut = (deps: AppDeps, eventName: string, occurredAt: string, data: RequestEventData, ctx: ChangeContext): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: requestKeys.partition(data.requestId),
    subject: { type: 'request', id: data.requestId, module: data.module },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    data,
    context: ctx,
  });

const eventData = (module: ModuleMetadata, locator: Pick<RequestLocator, 'id' | 'teamId' | 'requesterId'>, fields: FieldValues, extra: Partial<RequestEventData> & { status: RequestStatus }): RequestEventData => ({
  requestId: locator.id,
  module: module.name,
  teamId: locator.teamId,
  requesterId: locator.requesterId,
  title: requestTitle(module.fields, fields, `${module.label} request`),
  ...extra,
});

export interface NewRequest {
  id: string;
  requesterId: string;
  assigneeId?: string;
  /** The requester's validated field values (no system fields). */
  fields: FieldValues;
}

/** How a request is written beside its record: the module's process state as read, and the round-robin turn it takes. */
export interface SubmitOptions {
  processes?: ModuleProcesses;
  /** The write taking a round-robin turn (roundRobinTurn): when its condition fails, `ConditionFailed` (re-read, take the next). */
  turn?: TransactItem;
}

/**
 * Submits a request: the team module record (status Submitted, requester, assignee from the rules;
 * owned by the assignee, or by the requester until someone is assigned), its locator, the
 * `record.created` and `request.submitted` history entries and the round-robin turn, in one transaction.
 */
export const submitRequest = async (deps: AppDeps, module: ModuleMetadata & { ownerTeamId: string }, input: NewRequest, ctx: ChangeContext, options: SubmitOptions = {}): Promise<{ record: RecordItem; locator: RequestLocator }> => {
  const now = deps.clock().toISOString();
  const status: RequestStatus = 'Submitted';
  const fields: FieldValues = {
    ...input.fields,
    [REQUEST_FIELD.status]: status,
    [REQUEST_FIELD.requester]: input.requesterId,
    ...(input.assigneeId ? { [REQUEST_FIELD.assignee]: input.assigneeId } : {}),
  };
  const locator: RequestLocator = {
    entity: 'Request',
    id: input.id,
    module: module.name,
    teamId: module.ownerTeamId,
    requesterId: input.requesterId,
    ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
    status,
    createdAt: now,
    updatedAt: now,
  };
  const data = eventData(module, locator, fields, { status, ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}) });
  const submitted = requestHistoryPut(deps, 'request.submitted', now, data, ctx);
  const extras: TransactItem[] = [
    { Put: { TableName: deps.tableName, Item: { ...requestKeys.item(input.id, module.name, input.requesterId, now), ...locator }, ConditionExpression: 'attribute_not_exists(PK)' } },
    submitted,
    // Only an id that names its module is read through the copy (request-id.ts).
    ...(requestIdModule(input.id) === module.name ? [historyCopyPut(deps, input.id, module.name, requestEntriesOf(input.id, [submitted]))] : []),
    ...(options.turn ? [options.turn] : []),
  ];
  const turnIndex = options.turn ? extras.length - 1 : -1;
  const record = await createRecord(deps, module, { id: input.id, ownerId: input.assigneeId ?? input.requesterId, fields }, ctx, extras, {
    ...(options.processes ? { processes: options.processes } : {}),
    extraFailure: (failed) => (failed.includes(turnIndex) ? new ConditionFailed(failed) : undefined),
  });
  businessMetric('RequestsSubmitted', 1, { module: module.name });
  return { record, locator };
};

/** What the team asks for: undefined leaves a part alone; `assigneeId: null` unassigns. */
export interface RequestChangeInput {
  status?: HandledStatus;
  assigneeId?: string | null;
  comment?: string;
}

const locatorUpdate = (deps: AppDeps, id: string, now: string, status: RequestStatus, assigneeId: string | undefined): TransactItem => ({
  Update: {
    TableName: deps.tableName,
    Key: requestKeys.key(id),
    UpdateExpression: assigneeId ? 'SET #s = :s, updatedAt = :now, assigneeId = :a' : 'SET #s = :s, updatedAt = :now REMOVE assigneeId',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':s': status, ':now': now, ...(assigneeId ? { ':a': assigneeId } : {}) },
  },
});

/**
 * Deleting a team module record deletes its request locator and history copy with it (same
 * transaction), so neither the team's queue nor My Requests keeps pointing at a record that is gone. A
 * record created directly (not as a request) has neither: the deletes are then no-ops. The conditions
 * keep them to this module's id.
 */
export const requestItemsDelete = (deps: AppDeps, module: string, id: string): TransactItem[] => [
  requestItemDelete(deps, requestKeys.key(id), module),
  requestItemDelete(deps, requestKeys.historyCopy(id), module),
];

/** The request history entries of one change: status, assignment, and a comment (riding on a status change). */
const changeEntries = (deps: AppDeps, module: ModuleMetadata, locator: RequestLocator, copy: HistoryCopyState | undefined, current: RecordItem, next: RecordItem, comment: string | undefined, now: string, ctx: ChangeContext): TransactItem[] => {
  const status = next.fields[REQUEST_FIELD.status] as RequestStatus;
  const previousStatus = current.fields[REQUEST_FIELD.status] as RequestStatus;
  const assigneeId = next.fields[REQUEST_FIELD.assignee] as string | undefined;
  const previousAssigneeId = current.fields[REQUEST_FIELD.assignee] as string | undefined;
  const base = { status, ...(assigneeId ? { assigneeId } : {}) };
  const entries: TransactItem[] = [locatorUpdate(deps, locator.id, now, status, assigneeId)];
  if (status !== previousStatus) {
    entries.push(requestHistoryPut(deps, 'request.status-changed', now, eventData(module, locator, next.fields, { ...base, previousStatus, ...(comment ? { comment } : {}) }), ctx));
  }
  if (assigneeId !== previousAssigneeId) {
    entries.push(requestHistoryPut(deps, 'request.assigned', now, eventData(module, locator, next.fields, { ...base, ...(previousAssigneeId ? { previousAssigneeId } : {}) }), ctx));
  }
  if (comment && status === previousStatus) entries.push(requestHistoryPut(deps, 'request.commented', now, eventData(module, locator, next.fields, { ...base, comment }), ctx));
  return [...entries, ...historyCopyUpdate(deps, locator.id, copy, requestEntriesOf(locator.id, entries))];
};

/**
 * A comment alone does not change the record: the locator's updatedAt and the `request.commented` entry.
 * It touches neither status nor assignee of the locator: the record was read without a lock, and a
 * status change or assignment committed since then must not be undone in the queue and My Requests.
 */
const writeComment = async (deps: AppDeps, module: ModuleMetadata, locator: RequestLocator, copy: HistoryCopyState | undefined, record: RecordItem, comment: string, ctx: ChangeContext): Promise<TransactItem[]> => {
  const now = deps.clock().toISOString();
  const status = record.fields[REQUEST_FIELD.status] as RequestStatus;
  const assigneeId = record.fields[REQUEST_FIELD.assignee] as string | undefined;
  const entry = requestHistoryPut(deps, 'request.commented', now, eventData(module, locator, record.fields, { status, ...(assigneeId ? { assigneeId } : {}), comment }), ctx);
  const items: TransactItem[] = [
    {
      Update: {
        TableName: deps.tableName,
        Key: requestKeys.key(locator.id),
        UpdateExpression: 'SET updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':now': now },
      },
    },
    entry,
    ...historyCopyUpdate(deps, locator.id, copy, requestEntriesOf(locator.id, [entry])),
  ];
  try {
    await transactWrite(deps, items);
    return items;
  } catch (error) {
    if (error instanceof ConditionFailed) throw new Conflict('The request was removed');
    throw error;
  }
};

/** What a change wrote: the record as it is now, the request's locator and the request history entries added. */
export interface RequestChanged {
  record: RecordItem;
  locator: RequestLocator;
  entries: HistoryItem[];
}

/** The request history entries among a transaction's items (what a change adds to the request's partition), read whole. */
const requestEntriesOf = (id: string, items: readonly TransactItem[]): HistoryItem[] =>
  items.flatMap((t) => (t.Put?.Item?.PK === requestKeys.partition(id) && String(t.Put.Item.SK).startsWith(historyKeys.prefix) ? [readHistoryItem(t.Put.Item as StoredHistoryItem)] : []));

/**
 * Changes a request (team side): one conditional transaction on the record's version with the record
 * (status/assignee fields; the owner follows the assignee), `record.updated`, the locator, and the
 * request's own entries (`request.status-changed`, `request.assigned`, `request.commented`). Returns
 * what it wrote, so that the answer needs no read after the write.
 */
export const changeRequest = async (
  deps: AppDeps,
  module: ModuleMetadata,
  locator: RequestLocator,
  change: RequestChangeInput,
  ctx: ChangeContext,
  options: Pick<UpdateOptions, 'expectedVersion' | 'check' | 'current' | 'processes'> & {
    /** The request's history copy as read with it (absent: a request written before copies, left without one). */
    historyCopy?: HistoryCopyState;
  } = {},
): Promise<RequestChanged> => {
  const { historyCopy, ...update } = options;
  const fields: FieldPatch = {
    ...(change.status ? { [REQUEST_FIELD.status]: change.status } : {}),
    ...(change.assigneeId !== undefined ? { [REQUEST_FIELD.assignee]: change.assigneeId } : {}),
  };
  const ownerId = change.assigneeId === undefined ? undefined : (change.assigneeId ?? locator.requesterId);
  // The items of the attempt that landed (a lost race re-plans them).
  let written: TransactItem[] = [];
  const { item, changes } = await updateRecord(deps, module, locator.id, { fields, ...(ownerId ? { ownerId } : {}) }, ctx, {
    ...update,
    extraItems: (current, next) => (written = changeEntries(deps, module, locator, historyCopy, current, next, change.comment, next.updatedAt, ctx)),
  });
  if (changes.length === 0 && change.comment) written = await writeComment(deps, module, locator, historyCopy, item, change.comment, ctx);
  const entries = requestEntriesOf(locator.id, written);
  const status = item.fields[REQUEST_FIELD.status] as RequestStatus;
  const assigneeId = item.fields[REQUEST_FIELD.assignee];
  const { assigneeId: _previous, ...rest } = locator;
  return {
    record: item,
    locator: { ...rest, status, ...(typeof assigneeId === 'string' ? { assigneeId } : {}), updatedAt: entries[entries.length - 1]?.occurredAt ?? locator.updatedAt },
    entries,
  };
};
