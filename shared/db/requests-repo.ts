import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { FieldValues } from '../domain/records/field-values.js';
import { isRequestSystemField, REQUEST_FIELD, type RequestStatus } from '../domain/teams/requests.js';
import { readHistoryItem, type HistoryItem, type StoredHistoryItem } from './history.js';
import { historyKeys, requestKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import type { RecordItem } from './records-repo.js';

/** Where a request lives (its team module record) and its indexed summary: queue, My Requests. */
export interface RequestLocator {
  entity: 'Request';
  id: string;
  module: string;
  teamId: string;
  requesterId: string;
  assigneeId?: string;
  status: RequestStatus;
  createdAt: string;
  updatedAt: string;
}

/** What every request history entry (and so every request.* event) carries. */
export interface RequestEventData {
  requestId: string;
  module: string;
  teamId: string;
  requesterId: string;
  title: string;
  status: RequestStatus;
  previousStatus?: RequestStatus;
  assigneeId?: string;
  previousAssigneeId?: string;
  comment?: string;
}

/** How many of a request's history entries a single-request read shows: the newest, oldest first. */
export const REQUEST_HISTORY_SHOWN = 200;

/** A request as its own partition holds it: the locator and the history entries read with it. */
export interface RequestPartition {
  locator: RequestLocator | undefined;
  /** The newest REQUEST_HISTORY_SHOWN entries, oldest first, as front-ends read them. */
  history: RequestHistoryView[];
}

/**
 * A request's locator and its history in ONE consistent Query of its partition. The locator's sort key
 * ("REQUEST") follows every history entry's ("HIST#…"), so a descending read meets it first, then the
 * newest entries.
 */
export const readRequestPartition = async (deps: AppDeps, id: string): Promise<RequestPartition> => {
  const res = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': requestKeys.partition(id) },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: REQUEST_HISTORY_SHOWN + 1,
    }),
  );
  const items = (res.Items ?? []) as Array<Record<string, unknown> & { SK: string }>;
  const locator = items.find((item) => item.SK === requestKeys.key(id).SK) as unknown as RequestLocator | undefined;
  const history = items.filter((item) => item.SK.startsWith(historyKeys.prefix)).reverse().map((item) => toRequestHistoryView(readHistoryItem(item as unknown as StoredHistoryItem)));
  return { locator, history };
};

export const toRequestHistoryView = (item: HistoryItem) => {
  const data = item.data as Partial<RequestEventData>;
  return {
    id: item.eventId,
    event: item.eventName,
    actor: item.actor,
    occurredAt: item.occurredAt,
    status: data.status,
    ...(data.previousStatus ? { previousStatus: data.previousStatus } : {}),
    ...(data.assigneeId ? { assigneeId: data.assigneeId } : {}),
    ...(data.previousAssigneeId ? { previousAssigneeId: data.previousAssigneeId } : {}),
    ...(data.comment ? { comment: data.comment } : {}),
  };
};
/** One history entry as front-ends read it (and as the request's history copy keeps it). */
export type RequestHistoryView = ReturnType<typeof toRequestHistoryView>;

const ownFields = (fields: FieldValues): FieldValues => Object.fromEntries(Object.entries(fields).filter(([name]) => !isRequestSystemField(name)));

/** A request as front-ends read it: the record's own fields, with status, requester and assignee beside them. */
export const toRequestView = (record: RecordItem, locator: RequestLocator, history?: readonly RequestHistoryView[]) => {
  const assigneeId = record.fields[REQUEST_FIELD.assignee];
  return {
    id: record.id,
    module: record.module,
    status: (record.fields[REQUEST_FIELD.status] as RequestStatus | undefined) ?? locator.status,
    requesterId: locator.requesterId,
    ...(typeof assigneeId === 'string' ? { assigneeId } : {}),
    fields: ownFields(record.fields),
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt > locator.updatedAt ? record.updatedAt : locator.updatedAt,
    ...(history ? { history: [...history] } : {}),
  };
};
export type RequestView = ReturnType<typeof toRequestView>;

export interface RequestListOptions {
  limit: number;
  cursor?: string;
  status?: RequestStatus;
  assigneeId?: string;
}

const listBy = (deps: AppDeps, index: 'GSI1' | 'GSI2', partition: string, options: RequestListOptions): Promise<Page<RequestLocator>> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': partition };
  const conditions: string[] = [];
  if (options.status) {
    names['#status'] = 'status';
    values[':status'] = options.status;
    conditions.push('#status = :status');
  }
  if (options.assigneeId) {
    names['#assignee'] = 'assigneeId';
    values[':assignee'] = options.assigneeId;
    conditions.push('#assignee = :assignee');
  }
  return queryPage<RequestLocator>(
    deps,
    {
      IndexName: index,
      KeyConditionExpression: `${index}PK = :pk`,
      ScanIndexForward: false,
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
    },
    options.limit,
    options.cursor,
  );
};

/** The team's queue of one module, newest first. */
export const listModuleRequests = (deps: AppDeps, module: string, options: RequestListOptions) => listBy(deps, 'GSI1', requestKeys.modulePartition(module), options);

/** My Requests: everything a user submitted, across team modules, newest first. */
export const listRequesterRequests = (deps: AppDeps, userId: string, options: RequestListOptions) => listBy(deps, 'GSI2', requestKeys.requesterPartition(userId), options);
