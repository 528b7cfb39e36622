import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { FieldValues } from '../domain/records/field-values.js';
import { isRequestSystemField, REQUEST_FIELD, type RequestStatus } from '../domain/teams/requests.js';
import { historyPage, type HistoryItem } from './history.js';
import { requestKeys } from './keys.js';
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

export const getRequestLocator = async (deps: AppDeps, id: string): Promise<RequestLocator | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: requestKeys.key(id), ConsistentRead: true }))).Item as RequestLocator | undefined;

/** The request's own history (oldest first): submitted, status changes, assignments, comments. */
export const requestHistory = async (deps: AppDeps, id: string): Promise<HistoryItem[]> => {
  return (await historyPage(deps, requestKeys.partition(id), { limit: 200, oldestFirst: true, consistent: true })).items;
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

const ownFields = (fields: FieldValues): FieldValues => Object.fromEntries(Object.entries(fields).filter(([name]) => !isRequestSystemField(name)));

/** A request as front-ends read it: the record's own fields, with status, requester and assignee beside them. */
export const toRequestView = (record: RecordItem, locator: RequestLocator, history?: HistoryItem[]) => {
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
    ...(history ? { history: history.map(toRequestHistoryView) } : {}),
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
