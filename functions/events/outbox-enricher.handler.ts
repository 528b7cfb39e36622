import type { Context } from 'aws-lambda';
import { log, observe, withLambdaContext } from '../../shared/adapters/telemetry.js';
import { enrichOutboxRecords, type EnrichedOutboxEvent } from './outbox-enricher.js';
import type { OutboxStreamRecord } from '../../shared/events/outbox.js';

/**
 * Lambda entry of the outbox Pipe's enrichment: EventBridge Pipes invokes it synchronously with the
 * batch (an array of DynamoDB stream records) and puts one bus event per returned element. One log
 * line per event, with its id, type and correlation id (nothing of its data).
 */
export const handler = async (records: OutboxStreamRecord[], context?: Context): Promise<EnrichedOutboxEvent[]> => {
  withLambdaContext(context);
  const events = enrichOutboxRecords(records ?? []);
  for (const { detailType, detail } of events) {
    await observe({ handler: 'outbox-enricher', correlationId: detail.metadata.correlationId, ids: { eventId: detail.metadata.id, detailType } }, async () =>
      log.info('Outbox event enriched', {}),
    );
  }
  return events;
};
