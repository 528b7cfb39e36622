/**
 * The outbox path, as a pure module: a DynamoDB stream record of a history entry → a bus event.
 * The EventBridge Pipe (AWS) and the local stream poller both filter with OUTBOX_PIPE_FILTER and
 * transform with these functions, so an event looks the same on the real bus and the local one.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readHistoryItem, type HistoryItem, type StoredHistoryItem } from '../db/history.js';
import { OUTBOX_ENTITY } from '../db/table-definition.js';
import { EVENT_SOURCE, type BusEvent, type EventEnvelope } from './envelope.js';
import { matchesPattern } from './event-pattern.js';

/** The Pipe's filter (an EventBridge pattern over the stream record): new history entries only. */
export const OUTBOX_PIPE_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: [OUTBOX_ENTITY] } } },
} as const;

/** The parts of a stream record we read; both the Lambda/Pipe shape and the Streams API shape fit. */
export interface OutboxStreamRecord {
  eventID?: string;
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; SequenceNumber?: string };
}

/** A PutEvents entry (without EventBusName, which the caller sets). */
export interface BusEntry {
  Source: typeof EVENT_SOURCE;
  DetailType: string;
  Detail: string;
  Time: Date;
}

export const isOutboxRecord = (record: OutboxStreamRecord): boolean => matchesPattern(OUTBOX_PIPE_FILTER, record);

/** The history entry a stream record carries (typed JSON → plain values), with what its stored form leaves out derived back. */
export const historyFromRecord = (record: OutboxStreamRecord): HistoryItem => {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`Stream record ${record.eventID ?? '?'} has no NewImage (the stream must be NEW_IMAGE)`);
  const item = readHistoryItem(unmarshall(image as Record<string, AttributeValue>) as StoredHistoryItem);
  if (!item.eventId || !item.eventName || !item.occurredAt) {
    throw new Error(`Stream record ${record.eventID ?? '?'} is not a well-formed history entry (${item.PK} ${item.SK})`);
  }
  return item;
};

/** `{ metadata, data }`: what consumers read as `event.detail`. */
export const envelopeFromHistory = (item: HistoryItem): EventEnvelope => ({
  metadata: {
    id: item.eventId,
    occurredAt: item.occurredAt,
    actor: item.actor,
    correlationId: item.correlationId,
    ...(item.causationId ? { causationId: item.causationId } : {}),
    version: item.eventVersion,
    via: item.via,
    subject: item.subject,
    ...(item.automation ? { automation: item.automation } : {}),
    ...(item.depth ? { depth: item.depth } : {}),
  },
  data: item.data,
});

export const busEntryFromHistory = (item: HistoryItem): BusEntry => ({
  Source: EVENT_SOURCE,
  DetailType: item.eventName,
  Detail: JSON.stringify(envelopeFromHistory(item)),
  Time: new Date(item.occurredAt),
});

/** Filter + transform: the bus entries of a batch of stream records, in order. */
export const busEntriesFromRecords = (records: readonly OutboxStreamRecord[]): BusEntry[] =>
  records.filter(isOutboxRecord).map((r) => busEntryFromHistory(historyFromRecord(r)));

/** The event EventBridge would deliver to a rule target for this entry (used by the local bus). */
export const busEventFromEntry = (
  entry: BusEntry | { Source: string; DetailType: string; Detail: string; Time?: Date },
  where: { account?: string; region?: string; id?: string } = {},
): BusEvent => ({
  version: '0',
  id: where.id ?? randomUUID(),
  source: entry.Source,
  'detail-type': entry.DetailType,
  account: where.account ?? '000000000000',
  region: where.region ?? 'ap-northeast-1',
  time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  resources: [],
  detail: JSON.parse(entry.Detail) as EventEnvelope,
});
