import { OUTBOX_ENTITY } from './table-definition.js';
import { historyKeys } from './keys.js';
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

/** A Put of a history entry inside the command's transaction (never overwrites). */
export const historyPut = (tableName: string, input: HistoryInput): TransactItem => ({
  Put: { TableName: tableName, Item: buildHistoryItem(input), ConditionExpression: 'attribute_not_exists(PK)' },
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
