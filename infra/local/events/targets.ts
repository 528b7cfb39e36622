import { createHash } from 'node:crypto';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { EventConsumer } from '../../../shared/events/consumer.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { validatePattern, type EventPattern } from '../../../shared/events/event-pattern.js';
import { eventIdOf, idempotentConsumer } from '../../../shared/events/idempotent-consumer.js';
import { rulePattern } from '../../../shared/events/replay.js';
import type { Subscription } from '../../../functions/subscriptions.js';

/** Starts a state machine for a subscription target (the local SFN runner's `startWorkflow`). */
export type StartStateMachine = (workflow: string, input: unknown, options: { executionId?: string }) => Promise<unknown>;

/** One subscription as the local bus routes it: its rule pattern and how to hand it an event. */
export interface Route {
  subscription: Subscription;
  pattern: EventPattern;
  deliver: (event: BusEvent) => Promise<void>;
}

/** A state machine execution name (≤ 80 of [A-Za-z0-9_-]) derived from the subscription and event, so a redelivery starts nothing new. */
export const executionIdFor = (subscriptionId: string, eventId: string): string => {
  const raw = `${subscriptionId}-${eventId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  if (raw.length <= 80) return raw;
  return `${raw.slice(0, 63)}-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
};

/**
 * Builds the routes of a subscription table, failing loudly on a table that cannot work: a duplicate
 * id, a malformed pattern, or a consumer missing from the registry.
 */
export const buildRoutes = (
  subscriptions: readonly Subscription[],
  consumers: readonly EventConsumer[],
  deps: AppDeps,
  startStateMachine?: StartStateMachine,
): Route[] => {
  const byName = new Map<string, EventConsumer>();
  for (const consumer of consumers) {
    if (byName.has(consumer.name)) throw new Error(`Two consumers are named ${consumer.name}`);
    byName.set(consumer.name, idempotentConsumer(consumer));
  }
  const ids = new Set<string>();
  return subscriptions.map((subscription) => {
    if (ids.has(subscription.id)) throw new Error(`Two subscriptions have the id ${subscription.id}`);
    ids.add(subscription.id);
    const pattern = rulePattern(subscription);
    validatePattern(pattern);
    const { target } = subscription;
    if (target.kind === 'consumer') {
      const consumer = byName.get(target.consumer);
      if (!consumer) throw new Error(`Subscription ${subscription.id} names consumer ${target.consumer}, which is not in functions/events/consumers.ts`);
      return { subscription, pattern, deliver: (event) => consumer.handle(event, deps) };
    }
    return {
      subscription,
      pattern,
      deliver: async (event) => {
        if (!startStateMachine) throw new Error(`No local state-machine runner is configured to start ${target.workflow}`);
        // A replay starts a new execution; an ordinary (re)delivery reuses the event's execution name.
        const options = event.detail?.replay ? {} : { executionId: executionIdFor(subscription.id, eventIdOf(event)) };
        await startStateMachine(target.workflow, event.detail, options);
      },
    };
  });
};
