import { logger, safeError } from '../../../shared/adapters/telemetry.js';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { recordDeadLetter, recordReplayOutcome, type DeadLetterItem } from '../../../shared/db/dead-letters-repo.js';
import type { EventConsumer } from '../../../shared/events/consumer.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { matchesPattern } from '../../../shared/events/event-pattern.js';
import { busEventFromEntry } from '../../../shared/events/outbox.js';
import { replayEntry, type DeadLetterReplayer } from '../../../shared/events/replay.js';
import { consumers as productConsumers } from '../../../functions/events/consumers.js';
import { subscriptions as productSubscriptions, type Subscription } from '../../../functions/subscriptions.js';
import { backoffDelays, retryPolicy, type RetryPolicy } from './backoff.js';
import { buildRoutes, type Route, type StartStateMachine } from './targets.js';
import { timedInvocation, type InvocationListener } from '../invocations.js';

export interface EventRouterOptions {
  deps: AppDeps;
  /** Defaults to the product's table (functions/subscriptions.ts); tests inject fixtures. */
  subscriptions?: readonly Subscription[];
  /** Defaults to functions/events/consumers.ts. */
  consumers?: readonly EventConsumer[];
  startStateMachine?: StartStateMachine;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string, details: Record<string, unknown>) => void;
  /** Hears each attempt of a consumer (a Lambda invocation in AWS); starting a state machine is none. */
  onInvoke?: InvocationListener;
}

export interface DeliveryReport {
  subscriptionId: string;
  /** delivered; dead-lettered (a new dead letter); replay-failed (the replayed dead letter is marked failed). */
  outcome: 'delivered' | 'dead-lettered' | 'replay-failed';
  attempts: number;
  deadLetterId?: string;
}

/** The local event bus: routes each event to every matching subscription, with retries and dead letters. */
export interface EventRouter extends DeadLetterReplayer {
  /** Resolves when every matching target has taken the event or it was dead-lettered. */
  publish: (event: BusEvent) => Promise<DeliveryReport[]>;
  /** Waits for every delivery in flight (including publishes nobody awaited). */
  drain: () => Promise<void>;
  /** Sees every event put on the bus (before routing); returns an unsubscribe function. */
  tap: (listener: (event: BusEvent) => void) => () => void;
  /** The subscriptions an event reaches. */
  matching: (event: BusEvent) => Subscription[];
}

/** Warnings go through the Powertools logger; `details` are ids and redacted error texts only. */
const defaultLog = (message: string, details: Record<string, unknown>) => logger.warn(message, details);

/**
 * Builds the local router over the subscription table. Per matching subscription: deliver → on
 * failure wait (exponential backoff) and retry → after the last attempt store a dead letter (or,
 * for a replay, mark its dead letter failed); a replay that succeeds marks its dead letter replayed.
 */
export const createEventRouter = (options: EventRouterOptions): EventRouter => {
  const { deps } = options;
  const policy = retryPolicy(options.retry);
  const delays = backoffDelays(policy);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? defaultLog;
  const routes: Route[] = buildRoutes(options.subscriptions ?? productSubscriptions, options.consumers ?? productConsumers, deps, options.startStateMachine);
  const listeners = new Set<(event: BusEvent) => void>();
  const inFlight = new Set<Promise<unknown>>();

  const giveUp = async (route: Route, event: BusEvent, error: unknown): Promise<DeliveryReport> => {
    const subscriptionId = route.subscription.id;
    const replay = event.detail?.replay;
    log('Event delivery failed after retries', {
      subscriptionId,
      event: event['detail-type'],
      eventId: event.detail?.metadata?.id,
      correlationId: event.detail?.metadata?.correlationId,
      ...safeError(error),
    });
    if (replay) {
      await recordReplayOutcome(deps, replay.deadLetterId, { ok: false, error, attempts: policy.attempts });
      return { subscriptionId, outcome: 'replay-failed', attempts: policy.attempts, deadLetterId: replay.deadLetterId };
    }
    const deadLetter = await recordDeadLetter(deps, { subscriptionId, target: route.subscription.target, origin: 'local-router', event, error, attempts: policy.attempts });
    return { subscriptionId, outcome: 'dead-lettered', attempts: policy.attempts, deadLetterId: deadLetter.id };
  };

  const attemptDelivery = (route: Route, event: BusEvent): Promise<void> => {
    const { target } = route.subscription;
    return target.kind === 'consumer' ? timedInvocation(options.onInvoke, `keiro-${target.consumer}`, () => route.deliver(event)) : route.deliver(event);
  };

  const deliver = async (route: Route, event: BusEvent): Promise<DeliveryReport> => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      try {
        await attemptDelivery(route, event);
      } catch (error) {
        lastError = error;
        if (attempt < policy.attempts) await sleep(delays[attempt - 1] ?? 0);
        continue;
      }
      const replay = event.detail?.replay;
      if (replay) await recordReplayOutcome(deps, replay.deadLetterId, { ok: true });
      return { subscriptionId: route.subscription.id, outcome: 'delivered', attempts: attempt, ...(replay ? { deadLetterId: replay.deadLetterId } : {}) };
    }
    return giveUp(route, event, lastError);
  };

  const matchingRoutes = (event: BusEvent): Route[] => routes.filter((route) => matchesPattern(route.pattern, event));

  const publish = (event: BusEvent): Promise<DeliveryReport[]> => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log('A bus tap threw', safeError(error));
      }
    }
    const delivery = Promise.all(matchingRoutes(event).map((route) => deliver(route, event)));
    inFlight.add(delivery);
    const untrack = () => inFlight.delete(delivery);
    delivery.then(untrack, untrack);
    return delivery;
  };

  return {
    publish,
    drain: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    tap: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    matching: (event) => matchingRoutes(event).map((r) => r.subscription),
    replay: async (deadLetter: DeadLetterItem) => {
      if (!routes.some((r) => r.subscription.id === deadLetter.subscriptionId)) {
        throw new Error(`Subscription ${deadLetter.subscriptionId} is no longer in the subscription table`);
      }
      await publish(busEventFromEntry(replayEntry(deadLetter)));
    },
  };
};
