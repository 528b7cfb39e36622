import { enrichOutboxRecords, type EnrichedOutboxEvent } from './outbox-enricher.js';
import type { OutboxStreamRecord } from '../../shared/events/outbox.js';

/**
 * Lambda entry of the outbox Pipe's enrichment: EventBridge Pipes invokes it synchronously with the
 * batch (an array of DynamoDB stream records) and puts one bus event per returned element.
 */
export const handler = async (records: OutboxStreamRecord[]): Promise<EnrichedOutboxEvent[]> => enrichOutboxRecords(records ?? []);
