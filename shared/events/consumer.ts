import type { AppDeps } from '../adapters/deps.js';
import type { BusEvent } from './envelope.js';

/**
 * A bus consumer: the logic behind one subscription target of kind `consumer`.
 * `functions/events/<name>.ts` exports it; `functions/events/<name>.handler.ts` is its Lambda entry.
 * Consumers must be idempotent on `event.detail.metadata.id` (deliveries are at least once, and a
 * redelivery through the Pipe gets a new EventBridge `event.id`): wrap them with `idempotentConsumer`.
 */
export interface EventConsumer {
  name: string;
  handle: (event: BusEvent, deps: AppDeps) => Promise<void>;
}
