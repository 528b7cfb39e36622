import { isDeepStrictEqual } from 'node:util';
import { OUTBOX_ENTITY } from './table-definition.js';
import { historyKeys, recordKeys } from './keys.js';
import type { TransactItem } from './transact.js';

/** The path through which a change was made: shown in history, and carried on every event. */
export type ChangeVia =
  | 'api'
  | 'automation'
  | 'kiosk'
  | 'wizard'
  | 'journey'
  | 'cadence'
  | 'blueprint'
  | 'approval'
  | 'review'
  | 'conversion'
  | 'team'
  | 'system';

/** Which automation made a change (a workflow rule, a blueprint transition's after-actions…). */
export interface AutomationRef {
  kind: string;
  id: string;
  name: string;
}

export interface ChangeContext {
  actor: string;
  /** The actor is an org admin (from the token). */
  actorIsOrgAdmin?: boolean;
  /**
   * The actor's org role as this request read it from the directory (consistently, never cached), when
   * the caller has it: a process trigger on "submitted by members" then needs no second read.
   */
  actorOrgRole?: 'admin' | 'member' | 'guest';
  /**
   * The actor's manager (null: none) as this request read their directory entry, when the caller has it:
   * an approver named as "the owner's manager" of the actor's own record then needs no second read.
   */
  actorManagerId?: string | null;
  via: ChangeVia;
  /** A note that explains the write in history (a person's X-Change-Reason, or the automation's name). Never an override by itself. */
  reason?: string;
  /**
   * The caller asked to override a field governed by a blueprint: set only for a direct record write
   * (POST/PATCH of a record) by an org admin who sent X-Change-Reason. Automation never sets it.
   */
  override?: true;
  correlationId: string;
  causationId?: string;
  /** Set on automation writes: which automation (shown in history, carried on the event). */
  automation?: AutomationRef;
  /** How many automation steps led to this change (0 or absent: a person's). Rules stop at a limit. */
  depth?: number;
}

export interface HistoryChange {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * A history entry: what the user reads as "who changed what, when, through which path and why",
 * and — being the outbox — exactly what the stream turns into the bus event `eventName` with `data`.
 */
export interface HistoryItem {
  PK: string;
  SK: string;
  /** The day index (historyKeys.byDay): the org's history by time. */
  GSI3PK?: string;
  GSI3SK?: string;
  entity: typeof OUTBOX_ENTITY;
  eventId: string;
  eventName: string;
  eventVersion: number;
  subject: { type: string; id: string; module?: string };
  actor: string;
  via: ChangeVia;
  reason?: string;
  changes: HistoryChange[];
  /** One line for people reading the history (e.g. which blueprint transition, which approval decision). */
  summary?: string;
  occurredAt: string;
  correlationId: string;
  causationId?: string;
  automation?: AutomationRef;
  depth?: number;
  data: unknown;
}

export interface HistoryInput {
  subjectPK: string;
  subject: HistoryItem['subject'];
  eventId: string;
  eventName: string;
  eventVersion?: number;
  occurredAt: string;
  changes?: HistoryChange[];
  summary?: string;
  data: unknown;
  context: ChangeContext;
}

export const buildHistoryItem = (input: HistoryInput): HistoryItem => ({
  ...historyKeys.key(input.subjectPK, input.occurredAt, input.eventId),
  ...historyKeys.byDay(input.occurredAt, input.eventId),
  entity: OUTBOX_ENTITY,
  eventId: input.eventId,
  eventName: input.eventName,
  eventVersion: input.eventVersion ?? 1,
  subject: input.subject,
  actor: input.context.actor,
  via: input.context.via,
  ...(input.context.reason ? { reason: input.context.reason } : {}),
  changes: input.changes ?? [],
  ...(input.summary ? { summary: input.summary } : {}),
  occurredAt: input.occurredAt,
  correlationId: input.context.correlationId,
  ...(input.context.causationId ? { causationId: input.context.causationId } : {}),
  ...(input.context.automation ? { automation: input.context.automation } : {}),
  ...(input.context.depth ? { depth: input.context.depth } : {}),
  data: input.data,
});

/**
 * A history entry as the table holds it: the entry less what `readHistoryItem` derives back exactly.
 * Every entry is written to the table and to the day index (GSI3), doubled in the transaction, at one
 * write unit per started KB, so a few hundred bytes of copies decide whether an entry costs 4 units or 8.
 */
export type StoredHistoryItem = Omit<HistoryItem, 'eventId' | 'occurredAt' | 'eventVersion' | 'subject' | 'changes'> &
  Partial<Pick<HistoryItem, 'eventId' | 'occurredAt' | 'eventVersion' | 'subject' | 'changes'>>;

type Loose = Record<string, unknown>;
const objectOf = (value: unknown): Loose | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined);

/**
 * Events whose changes are every field of `data.record`, from nothing or to nothing: stored once, as the
 * record. Read back, they come in the order of the record's fields as read; DynamoDB does not keep a map's
 * order, so that is the order `data.record.fields` has in the event too (the fields, not their order, are the contract).
 */
const CHANGES_OF_WHOLE_RECORD: Readonly<Record<string, (fields: Loose) => HistoryChange[]>> = {
  'record.created': (fields) => Object.entries(fields).map(([field, value]) => ({ field, old: null, new: value })),
  'record.deleted': (fields) => Object.entries(fields).map(([field, value]) => ({ field, old: value, new: null })),
};
const wholeRecordChanges = (eventName: string, data: Loose | undefined): HistoryChange[] | undefined =>
  CHANGES_OF_WHOLE_RECORD[eventName]?.(objectOf(objectOf(data?.record)?.fields) ?? {});

/**
 * The entry a stored one stands for (what history views, the outbox and every reader see). An entry
 * stored whole (written before, or one no rule fitted) reads as it is: each rule only fills in what
 * is absent.
 */
export const readHistoryItem = <T extends StoredHistoryItem>(stored: T): T & HistoryItem => {
  // A malformed image (no keys) reads as what it holds, and the outbox refuses it by name.
  const fromSortKey = typeof stored.SK === 'string' ? historyKeys.ofSortKey(stored.SK) : undefined;
  const ofRecord = typeof stored.PK === 'string' ? recordKeys.ofPartition(stored.PK) : undefined;
  const data = objectOf(stored.data);
  const derived = data && stored.changes === undefined && !('changes' in data) ? wholeRecordChanges(stored.eventName, data) : undefined;
  const fullData = derived ? { ...data, changes: derived } : stored.data;
  const dataChanges = objectOf(fullData)?.changes;
  return {
    ...stored,
    eventId: stored.eventId ?? fromSortKey?.eventId ?? '',
    occurredAt: stored.occurredAt ?? fromSortKey?.occurredAt ?? '',
    eventVersion: stored.eventVersion ?? 1,
    subject: stored.subject ?? (ofRecord ? { type: 'record', id: ofRecord.id, module: ofRecord.module } : { type: 'unknown', id: stored.PK }),
    changes: stored.changes ?? (Array.isArray(dataChanges) ? (dataChanges as HistoryChange[]) : []),
    data: fullData,
  };
};

/**
 * The entry as the table stores it: each copy that `readHistoryItem` derives back exactly is left out.
 * - `eventId`, `occurredAt`: from the sort key; a record's `subject`: from its partition;
 * - `eventVersion` 1: the default;
 * - `changes`: once, in `data.changes` where the event carries them there (the outbox publishes `data` whole);
 * - record.created / record.deleted: their changes are the record's fields, stored once as `data.record`.
 * Whatever does not read back identically (here, before DynamoDB reorders any map) is stored whole.
 */
export const storedHistoryItem = (item: HistoryItem): StoredHistoryItem => {
  const { eventId, occurredAt, eventVersion, subject, changes, ...rest } = item;
  const data = objectOf(item.data);
  const dataChanges = data && isDeepStrictEqual(data.changes, wholeRecordChanges(item.eventName, data)) ? (({ changes: _derived, ...others }) => others)(data) : item.data;
  const fromSortKey = historyKeys.ofSortKey(item.SK);
  const ofRecord = recordKeys.ofPartition(item.PK);
  const stored = {
    ...rest,
    ...(fromSortKey?.eventId === eventId ? {} : { eventId }),
    ...(fromSortKey?.occurredAt === occurredAt ? {} : { occurredAt }),
    ...(eventVersion === 1 ? {} : { eventVersion }),
    ...(ofRecord && isDeepStrictEqual(subject, { type: 'record', id: ofRecord.id, module: ofRecord.module }) ? {} : { subject }),
    ...(isDeepStrictEqual(changes, Array.isArray(data?.changes) ? data.changes : []) ? {} : { changes }),
    data: dataChanges,
  };
  return isDeepStrictEqual(readHistoryItem(stored), item) ? stored : item;
};

/** A Put of a history entry inside the command's transaction (never overwrites), stored without its copies. */
export const historyPut = (tableName: string, input: HistoryInput): TransactItem => ({
  Put: { TableName: tableName, Item: storedHistoryItem(buildHistoryItem(input)), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** The shape front-ends read (keys stripped). */
export const toHistoryView = (item: HistoryItem) => ({
  id: item.eventId,
  event: item.eventName,
  actor: item.actor,
  via: item.via,
  ...(item.automation ? { automation: item.automation } : {}),
  ...(item.reason ? { reason: item.reason } : {}),
  changes: item.changes,
  ...(item.summary ? { summary: item.summary } : {}),
  occurredAt: item.occurredAt,
  correlationId: item.correlationId,
});
export type HistoryView = ReturnType<typeof toHistoryView>;
