import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { EmailEvents, EnrollmentStatus, StepRecord } from '../domain/cadence/planner.js';
import { cadenceEnrolled, cadenceUnenrolled, type UnenrollReason } from '../events/catalog/cadences.js';
import { historyPut, type ChangeContext } from './history.js';
import { enrollmentKeys, recordKeys } from './keys.js';
import { queryAll, queryPage, type Page } from './query.js';
import { reportCounters } from './cadences-repo.js';
import { ConditionFailed, MAX_TRANSACT_ITEMS, transactWrite, type TransactItem } from './transact.js';

/** A step as the enrollment keeps it: its outcome, and for an email the SES message id. */
/** A send claim older than this was abandoned by a crashed sender: whether SES got the mail is unknown. */
export const SEND_CLAIM_LEASE_MS = 2 * 60 * 1000;

export interface EnrollmentStep extends StepRecord {
  messageId?: string;
}

/** End reasons: the unenrollment reasons, and `completed` when every step ran. */
export type EndReason = UnenrollReason | 'completed';

/** One item per (cadence, record): the enrollment and the guard of "one active enrollment per cadence". */
export interface EnrollmentItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  GSI2PK: string;
  GSI2SK: string;
  entity: 'CadenceEnrollment';
  cadenceId: string;
  cadenceName: string;
  cadenceVersion: number;
  module: string;
  recordId: string;
  /** New for each (re-)enrollment: markers, message ids and reply tokens hang off it. */
  enrollmentId: string;
  status: EnrollmentStatus;
  trigger: 'manual' | 'automatic';
  enrolledAt: string;
  enrolledBy: string;
  endedAt?: string;
  endedReason?: EndReason;
  /** The recipient's time zone when enrolled (the record's `timeZone`, else the cadence's, else the organisation's). */
  timeZone: string;
  steps: Record<string, EnrollmentStep>;
  events: Record<string, EmailEvents>;
  /** The token of the one timer that may act (a wake with another token is stale and ends quietly). */
  planToken?: string;
  wakeAt?: string;
  /** Optimistic concurrency: every write is conditional on the version read. */
  version: number;
  updatedAt: string;
}

export const toEnrollmentView = (item: EnrollmentItem) => ({
  recordId: item.recordId,
  module: item.module,
  status: item.status,
  cadenceVersion: item.cadenceVersion,
  trigger: item.trigger,
  enrolledAt: item.enrolledAt,
  ...(item.endedReason ? { endedReason: item.endedReason } : {}),
  ...(item.endedAt ? { endedAt: item.endedAt } : {}),
  ...(item.wakeAt && item.status === 'active' ? { nextWakeAt: item.wakeAt } : {}),
  steps: Object.entries(item.steps)
    .map(([stepId, s]) => ({ stepId, status: s.status, at: s.at, ...(s.reason ? { reason: s.reason } : {}), ...(item.events[stepId] ? { email: item.events[stepId] } : {}) }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.stepId.localeCompare(b.stepId)),
});
export type EnrollmentView = ReturnType<typeof toEnrollmentView>;

export const getEnrollment = async (deps: AppDeps, cadenceId: string, recordId: string): Promise<EnrollmentItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: enrollmentKeys.key(cadenceId, recordId), ConsistentRead: true }));
  return res.Item as EnrollmentItem | undefined;
};

export const listEnrollments = (deps: AppDeps, cadenceId: string, status: EnrollmentStatus | undefined, limit: number, cursor?: string): Promise<Page<EnrollmentItem>> =>
  status
    ? queryPage<EnrollmentItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': enrollmentKeys.statusPartition(cadenceId, status) } }, limit, cursor)
    : queryPage<EnrollmentItem>(
        deps,
        { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :enr)', ExpressionAttributeValues: { ':pk': enrollmentKeys.key(cadenceId, '').PK, ':enr': enrollmentKeys.prefix } },
        limit,
        cursor,
      );

/** Every cadence enrollment of a record (GSI2; eventually consistent: callers re-read each item before acting). */
export const listRecordEnrollments = (deps: AppDeps, module: string, recordId: string): Promise<EnrollmentItem[]> =>
  queryAll<EnrollmentItem>(deps, { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': enrollmentKeys.recordPartition(module, recordId) } });

/** The enrollment moved on since it was read: re-read and decide again. */
export class EnrollmentChanged extends Error {
  constructor(cadenceId: string, recordId: string) {
    super(`The enrollment of ${recordId} in cadence ${cadenceId} changed since it was read`);
    this.name = 'EnrollmentChanged';
  }
}

const enrollmentRef = (item: EnrollmentItem) => ({
  cadenceId: item.cadenceId,
  cadenceName: item.cadenceName,
  cadenceVersion: item.cadenceVersion,
  enrollmentId: item.enrollmentId,
  module: item.module,
  recordId: item.recordId,
});

/** A history entry (the outbox) about an enrollment, in its record's partition so the record's history shows it. */
export const enrollmentHistoryPut = (deps: AppDeps, item: EnrollmentItem, eventName: string, data: unknown, ctx: ChangeContext, occurredAt = deps.clock().toISOString()): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: recordKeys.key(item.module, item.recordId).PK,
    subject: { type: 'record', id: item.recordId, module: item.module },
    eventId: deps.newId(),
    eventName,
    occurredAt,
    data: { ...enrollmentRef(item), ...(data as object) },
    context: ctx,
  });

/** The conditional write of an enrollment's next state, with its GSI keys kept in step with its status. */
const enrollmentPut = (deps: AppDeps, next: EnrollmentItem, previous: EnrollmentItem | undefined): TransactItem => ({
  Put: {
    TableName: deps.tableName,
    Item: next,
    ...(previous
      ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
      : { ConditionExpression: 'attribute_not_exists(PK)' }),
  },
});

export const withStatus = (item: EnrollmentItem, status: EnrollmentStatus, now: string): EnrollmentItem => ({
  ...item,
  ...enrollmentKeys.item(item.cadenceId, item.module, item.recordId, status, item.enrolledAt),
  status,
  version: item.version + 1,
  updatedAt: now,
});

/** One enrollment's next state as read from `previous` (absent: a new one), its report counter deltas and the items that land with it. */
export interface EnrollmentWrite {
  next: EnrollmentItem;
  previous: EnrollmentItem | undefined;
  counters: Readonly<Record<string, number>>;
  extra: TransactItem[];
}

/** The items of a transaction of enrollment writes: the enrollments, then one update of the report (the deltas summed), then their extra items. */
const enrollmentItems = (deps: AppDeps, writes: readonly EnrollmentWrite[]): TransactItem[] => {
  const counters: Record<string, number> = {};
  for (const write of writes) for (const [name, n] of Object.entries(write.counters)) counters[name] = (counters[name] ?? 0) + n;
  const counterItem = reportCounters(deps, writes[0]!.next.cadenceId, counters);
  return [...writes.map((w) => enrollmentPut(deps, w.next, w.previous)), ...(counterItem ? [counterItem] : []), ...writes.flatMap((w) => w.extra)];
};

/**
 * Writes enrollments of one cadence (each conditional on the version read, or on absence for a new one)
 * with their report counters and extra items (history entries, timers, markers), in ONE transaction: a
 * lost race of any is EnrollmentChanged (naming the first), and nothing is written. See enrollmentChunks
 * for how many fit.
 */
export const writeEnrollments = async (deps: AppDeps, writes: readonly EnrollmentWrite[]): Promise<void> => {
  if (writes.length === 0) return;
  try {
    await transactWrite(deps, enrollmentItems(deps, writes));
  } catch (error) {
    const lost = error instanceof ConditionFailed ? writes.find((_, i) => error.failedIndexes.includes(i)) : undefined;
    if (lost) throw new EnrollmentChanged(lost.next.cadenceId, lost.next.recordId);
    throw error;
  }
};

/** One enrollment's write (see writeEnrollments). */
export const writeEnrollment = (deps: AppDeps, next: EnrollmentItem, previous: EnrollmentItem | undefined, counters: Readonly<Record<string, number>>, extra: TransactItem[] = []): Promise<void> =>
  writeEnrollments(deps, [{ next, previous, counters, extra }]);

/**
 * Splits enrollment writes into as few transactions as DynamoDB's limit allows (one, unless there are
 * more than about 30 records): each keeps one item for the report and one for a request's idempotency mark.
 */
export const enrollmentChunks = (writes: readonly EnrollmentWrite[]): EnrollmentWrite[][] => {
  const chunks: EnrollmentWrite[][] = [];
  let size = 2;
  for (const write of writes) {
    const items = 1 + write.extra.length;
    if (chunks.length === 0 || size + items > MAX_TRANSACT_ITEMS) {
      chunks.push([]);
      size = 2;
    }
    chunks.at(-1)!.push(write);
    size += items;
  }
  return chunks;
};

/** Counter deltas of a status change (and, when it ends the enrollment early, its reason). */
export const statusDeltas = (from: EnrollmentStatus | undefined, to: EnrollmentStatus, reason?: EndReason): Record<string, number> => {
  const deltas: Record<string, number> = {};
  if (from === to) return deltas;
  if (from) deltas[`status:${from}`] = -1;
  deltas[`status:${to}`] = 1;
  if (reason && reason !== 'completed') deltas[`reason:${reason}`] = 1;
  if (!from) deltas.enrolled = 1;
  return deltas;
};

export type NewEnrollment = Pick<EnrollmentItem, 'cadenceId' | 'cadenceName' | 'cadenceVersion' | 'module' | 'recordId' | 'enrollmentId' | 'trigger' | 'timeZone'>;

export const newEnrollmentItem = (input: NewEnrollment, actor: string, now: string, previous?: EnrollmentItem): EnrollmentItem => ({
  ...enrollmentKeys.item(input.cadenceId, input.module, input.recordId, 'active', now),
  entity: 'CadenceEnrollment',
  ...input,
  status: 'active',
  enrolledAt: now,
  enrolledBy: actor,
  steps: {},
  events: {},
  version: (previous?.version ?? 0) + 1,
  updatedAt: now,
});

/** The history entry of a new enrollment. */
export const enrolledHistory = (deps: AppDeps, item: EnrollmentItem, ctx: ChangeContext): TransactItem =>
  enrollmentHistoryPut(deps, item, cadenceEnrolled.name, { trigger: item.trigger }, ctx, item.enrolledAt);

/** Ends an enrollment early (unenrolled, with why and when): item, counters and the `cadence.unenrolled` entry. */
export const unenrollWrite = (deps: AppDeps, current: EnrollmentItem, reason: UnenrollReason, ctx: ChangeContext): { next: EnrollmentItem; counters: Record<string, number>; extra: TransactItem[] } => {
  const now = deps.clock().toISOString();
  const { planToken: _t, wakeAt: _w, ...rest } = withStatus(current, 'unenrolled', now);
  const next: EnrollmentItem = { ...rest, endedAt: now, endedReason: reason };
  return { next, counters: statusDeltas(current.status, 'unenrolled', reason), extra: [enrollmentHistoryPut(deps, next, cadenceUnenrolled.name, { reason }, ctx, now)] };
};

/** Re-reads and applies `change` until it lands or says there is nothing to do (bounded; a lost race re-reads). */
export const updateEnrollmentWithRetry = async (
  deps: AppDeps,
  cadenceId: string,
  recordId: string,
  change: (current: EnrollmentItem) => { next: EnrollmentItem; counters: Record<string, number>; extra: TransactItem[] } | undefined,
  attempts = 8,
): Promise<EnrollmentItem | undefined> => {
  for (let attempt = 1; ; attempt++) {
    const current = await getEnrollment(deps, cadenceId, recordId);
    if (!current) return undefined;
    const planned = change(current);
    if (!planned) return current;
    try {
      await writeEnrollment(deps, planned.next, current, planned.counters, planned.extra);
      return planned.next;
    } catch (error) {
      if (!(error instanceof EnrollmentChanged) || attempt >= attempts) throw error;
    }
  }
};
