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
  /**
   * How a redelivery is made harmless (see shared/events/idempotent-consumer.ts):
   * - `claim` (the default): the wrapper claims (consumer, event id) before handling and marks it done
   *   after (two writes per delivery).
   * - `own-marks`: every effect the consumer writes carries its own conditional mark keyed by the event
   *   id, in the same write or transaction (an applied-event mark, an action outcome, a notification's
   *   key), and every email goes through mail-once's claim. A redelivery finds the marks and changes
   *   nothing; a crash before a write leaves nothing. The wrapper writes nothing unless handling fails
   *   (then it counts the attempt, for the dead-letter decision).
   */
  idempotency?: 'claim' | 'own-marks';
}
