import { z } from 'zod';

/** Every Keiro event on the bus: source `keiro`, detail-type = event name, detail = this envelope. */
export const EVENT_SOURCE = 'keiro';

export const EventMetadataSchema = z.object({
  id: z.string().min(1),
  occurredAt: z.iso.datetime(),
  actor: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

export interface EventEnvelope<T = unknown> {
  metadata: EventMetadata;
  data: T;
}

/** The shape EventBridge delivers to a rule target (and the local router hands to consumers). */
export interface BusEvent<T = unknown> {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  detail: EventEnvelope<T>;
}
