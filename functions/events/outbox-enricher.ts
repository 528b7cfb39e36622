import type { EventEnvelope } from '../../shared/events/envelope.js';
import { envelopeFromHistory, historyFromRecord, isOutboxRecord, type OutboxStreamRecord } from '../../shared/events/outbox.js';

/**
 * One enriched Pipe element. The Pipe's EventBridge target takes DetailType from `$.detailType`,
 * Time from `$.time`, Source is the constant `keiro`, and the input template `<$.detail>` makes the
 * envelope the event's detail.
 */
export interface EnrichedOutboxEvent {
  detailType: string;
  time: string;
  detail: EventEnvelope;
}

/**
 * The Pipe enrichment step: stream records (already filtered by OUTBOX_PIPE_FILTER) → one element per
 * history entry. Steps: keep outbox records (defensive re-filter) → unmarshall the NewImage → envelope.
 * A malformed history entry throws, so the batch is retried and then lands in the Pipe's DLQ rather
 * than vanishing.
 */
export const enrichOutboxRecords = (records: readonly OutboxStreamRecord[]): EnrichedOutboxEvent[] =>
  records.filter(isOutboxRecord).map((record) => {
    const item = historyFromRecord(record);
    return { detailType: item.eventName, time: item.occurredAt, detail: envelopeFromHistory(item) };
  });
