import * as z from 'zod';
import { lazySchema } from '../domain/lazy-schema.js';

/** Every Keiro event on the bus: source `keiro`, detail-type = event name, detail = this envelope. */
export const EVENT_SOURCE = 'keiro';

export const EventMetadataSchema = lazySchema(() => z.object({
  id: z.string().min(1),
  occurredAt: z.iso.datetime(),
  actor: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
  /** The event's schema version in the catalog (shared/events/catalog). */
  version: z.number().int().min(1).optional(),
  /** The path through which the change was made (api, journey, cadence, …): lets consumers skip their own echoes. */
  via: z.string().min(1).optional(),
  /** What changed: `{ type: 'record', id, module }`, `{ type: 'user', id }`, … */
  subject: z.object({ type: z.string(), id: z.string(), module: z.string().optional() }).optional(),
  /** Which automation made the change (kind, id, name), when one did. */
  automation: z.object({ kind: z.string(), id: z.string(), name: z.string() }).optional(),
  /** Automation steps that led to the change (absent: a person's). Workflow rules stop at a limit. */
  depth: z.number().int().min(0).optional(),
}));
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** Set on an event re-sent for one subscription after it was dead-lettered (see shared/events/replay.ts). */
export interface ReplayMarker {
  deadLetterId: string;
  subscriptionId: string;
}

export interface EventEnvelope<T = unknown> {
  metadata: EventMetadata;
  data: T;
  replay?: ReplayMarker;
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
