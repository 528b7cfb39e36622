import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { slaWakes, type ApprovalState, type SlaKind } from '../domain/approval/engine.js';
import { timerTransactItem } from './timers.js';
import { historyPut, type ChangeContext, type HistoryChange } from './history.js';
import { approvalKeys, recordKeys, reviewKeys } from './keys.js';
import { batchGet, queryAll, queryPage } from './query.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import type { ReviewState } from '../domain/review/engine.js';
import { NotFound } from '../domain/errors.js';
import { ProcessRaceLost } from './lost-race.js';

/** A stored approval: the engine's state plus a revision for optimistic writes. */
export interface ApprovalItem extends ApprovalState {
  revision: number;
}

export interface ReviewItem extends ReviewState {
  revision: number;
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, ...rest } = item;
  return rest as T;
};

export const toApprovalView = (a: ApprovalItem) => ({
  id: a.id,
  processId: a.processId,
  processName: a.processName,
  processVersion: a.processVersion,
  module: a.module,
  recordId: a.recordId,
  status: a.status,
  level: a.level,
  levels: a.levels.length,
  approverIds: a.approverIds,
  submittedBy: a.submittedBy,
  submittedAt: a.submittedAt,
  ...(a.decidedAt ? { decidedAt: a.decidedAt } : {}),
  history: a.history,
});

export const toReviewView = (r: ReviewItem) => ({
  id: r.id,
  processId: r.processId,
  processName: r.processName,
  module: r.module,
  recordId: r.recordId,
  status: r.status,
  fields: r.fields,
  reviewerIds: r.reviewerIds,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
  log: r.log,
});

/** An approval from its stored item (keys stripped). */
export const approvalFromItem = (item: Record<string, unknown>): ApprovalItem => strip<ApprovalItem>(item);

export const getApproval = async (deps: AppDeps, id: string): Promise<ApprovalItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: approvalKeys.key(id), ConsistentRead: true }));
  return res.Item ? approvalFromItem(res.Item) : undefined;
};

export const requireApproval = async (deps: AppDeps, id: string): Promise<ApprovalItem> => {
  const a = await getApproval(deps, id);
  if (!a) throw new NotFound(`No approval ${id}`);
  return a;
};

export const getReview = async (deps: AppDeps, id: string): Promise<ReviewItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: reviewKeys.key(id), ConsistentRead: true }));
  return res.Item ? strip<ReviewItem>(res.Item) : undefined;
};

export const requireReview = async (deps: AppDeps, id: string): Promise<ReviewItem> => {
  const r = await getReview(deps, id);
  if (!r) throw new NotFound(`No review ${id}`);
  return r;
};

/** The shared timer's kind for approval reminders and escalations (stepfunctions/timer/wake-handlers.ts). */
export const APPROVAL_SLA_TIMER = 'approval-sla';

export const approvalSlaKey = (approvalId: string, level: number, kind: SlaKind): string => `${approvalId}#${level}#${kind}`;

/** A pending approval with a new token (started, next level, delegated): its level's SLA timers, with that token. */
const slaTimerItems = (deps: AppDeps, before: ApprovalState | undefined, after: ApprovalState): TransactItem[] =>
  after.status !== 'pending' || after.token === before?.token
    ? []
    : slaWakes(after).map((w) => timerTransactItem(deps.tableName, { kind: APPROVAL_SLA_TIMER, key: approvalSlaKey(after.id, after.level, w.kind), wakeAt: w.wakeAt, token: after.token }));

/** Who has an approval in their inbox: the current level's approvers who have not approved yet. */
const approvalInboxOf = (a: ApprovalState | undefined): string[] => {
  if (!a || a.status !== 'pending') return [];
  const approved = a.levels[a.level - 1]?.approvedBy ?? [];
  return a.approverIds.filter((id) => !approved.includes(id));
};

const reviewInboxOf = (r: ReviewState | undefined): string[] => (r && r.status === 'pending' ? r.reviewerIds : []);

/**
 * Puts and deletes of inbox items so that exactly `after`'s people hold one. `rewriteKept`: an item that
 * carries a copy of what it points at is rewritten for the people who keep it too, so the copy never lags.
 */
const inboxDiff = (tableName: string, before: string[], after: string[], key: (userId: string) => { PK: string; SK: string }, item: Record<string, unknown>, rewriteKept = false): TransactItem[] => [
  ...after.filter((u) => rewriteKept || !before.includes(u)).map((u): TransactItem => ({ Put: { TableName: tableName, Item: { ...key(u), ...item, assigneeId: u } } })),
  ...before.filter((u) => !after.includes(u)).map((u): TransactItem => ({ Delete: { TableName: tableName, Key: key(u) } })),
];

/**
 * The writes of an approval's new state: the item (conditional on the revision read, or new) and
 * its inbox items. Go in the same transaction as the record's lock change. Each inbox item carries a
 * copy of the approval as written (rewritten with every change while its holder keeps it), so that
 * the inbox is one Query.
 */
export const approvalWrites = (deps: AppDeps, before: ApprovalItem | undefined, after: ApprovalState): TransactItem[] => {
  const written: ApprovalItem = { ...after, revision: (before?.revision ?? 0) + 1 };
  return [
    ...slaTimerItems(deps, before, after),
    {
      Put: {
        TableName: deps.tableName,
        Item: { ...approvalKeys.item(after.id, after.module, after.recordId, after.submittedAt), entity: 'Approval', ...written },
        ConditionExpression: before ? 'revision = :r' : 'attribute_not_exists(PK)',
        ...(before ? { ExpressionAttributeValues: { ':r': before.revision } } : {}),
      },
    },
    ...inboxDiff(deps.tableName, approvalInboxOf(before), approvalInboxOf(after), (u) => approvalKeys.inbox(u, after.submittedAt, after.id), { entity: 'ApprovalInbox', approvalId: after.id, approval: written }, true),
  ];
};

export const reviewWrites = (deps: AppDeps, before: ReviewItem | undefined, after: ReviewState): TransactItem[] => [
  {
    Put: {
      TableName: deps.tableName,
      Item: { ...reviewKeys.item(after.id, after.module, after.recordId, after.createdAt), entity: 'Review', ...after, revision: (before?.revision ?? 0) + 1 },
      ConditionExpression: before ? 'revision = :r' : 'attribute_not_exists(PK)',
      ...(before ? { ExpressionAttributeValues: { ':r': before.revision } } : {}),
    },
  },
  ...inboxDiff(deps.tableName, reviewInboxOf(before), reviewInboxOf(after), (u) => reviewKeys.inbox(u, after.createdAt, after.id), { entity: 'ReviewInbox', reviewId: after.id }),
];

/** A process event in the record's history partition (so `/history` shows it), and on the bus. */
export const processHistoryPut = (
  deps: AppDeps,
  module: string,
  recordId: string,
  eventName: string,
  data: Record<string, unknown>,
  ctx: ChangeContext,
  occurredAt: string,
  extra: { summary?: string; changes?: HistoryChange[] } = {},
): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: recordKeys.key(module, recordId).PK,
    subject: { type: 'record', id: recordId, module },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    data,
    context: ctx,
    ...extra,
  });

/**
 * A user's pending approvals (their inbox), oldest first: one consistent Query of their inbox partition,
 * whose items carry the approval as last written (approvalWrites). Items written before they carried it
 * are read in one BatchGetItem. `held`: whether the page had any inbox item at all (pending or not).
 */
export const listApprovalInbox = async (deps: AppDeps, userId: string, limit: number, cursor?: string) => {
  const page = await queryPage<{ approvalId: string; approval?: ApprovalItem }>(
    deps,
    { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': approvalKeys.inboxPartition(userId) }, ConsistentRead: true },
    limit,
    cursor,
  );
  const uncopied = page.items.filter((i) => !i.approval).map((i) => approvalKeys.key(i.approvalId));
  const read = uncopied.length > 0 ? (await batchGet<Record<string, unknown>>(deps, uncopied, true)).map(approvalFromItem) : [];
  const items = page.items
    .map((i) => i.approval ?? read.find((a) => a.id === i.approvalId))
    .filter((a): a is ApprovalItem => a !== undefined && a.status === 'pending');
  return { items, held: page.items.length > 0, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};

export const listReviewInbox = async (deps: AppDeps, userId: string, limit: number, cursor?: string) => {
  const page = await queryPage<{ reviewId: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': reviewKeys.inboxPartition(userId) } }, limit, cursor);
  const items = (await Promise.all(page.items.map((i) => getReview(deps, i.reviewId)))).filter((r): r is ReviewItem => r !== undefined && r.status === 'pending');
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};

/** Every approval run of a record, oldest first (a bounded partition). */
export const listRecordApprovals = (deps: AppDeps, module: string, recordId: string): Promise<ApprovalItem[]> =>
  queryAll<Record<string, unknown>>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': approvalKeys.recordPartition(module, recordId) } }).then((items) => items.map((i) => strip<ApprovalItem>(i)));

/** Writes approval/review items alone (no record change): a concurrent change of the same approval is a 409. */
export const writeProcessItems = async (deps: AppDeps, items: TransactItem[]): Promise<void> => {
  try {
    await transactWrite(deps, items);
  } catch (error) {
    if (error instanceof ConditionFailed) throw new ProcessRaceLost();
    throw error;
  }
};
