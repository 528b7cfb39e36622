import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { consumers } from '../../functions/events/consumers.js';
import { START_TIMER } from '../../functions/events/start-timer.js';
import { subscriptions, type Subscription } from '../../functions/subscriptions.js';
import { memoryPositionStore, type PositionStore } from '../../infra/local/events/positions.js';
import { createEventRouter, type EventRouter } from '../../infra/local/events/router.js';
import { createStreamPoller, localStreamsClient, type StreamPoller } from '../../infra/local/events/stream-poller.js';
import { startE2eApi, type E2eApi } from './e2e.js';
import { dynamodbEndpoint, testRegion } from './local-cloud.js';

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs` (generous: CI machines are small and busy). */
export const waitFor = async <T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 25_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export const streamsClient = (): DynamoDBStreamsClient =>
  localStreamsClient(testRegion(), dynamodbEndpoint());

export interface LocalEvents {
  router: EventRouter;
  poller: StreamPoller;
  /** Every event the bus saw, in order. */
  seen: BusEvent[];
  stop: () => Promise<void>;
}

const startsTimers = (subscription: Subscription) => subscription.target.kind === 'consumer' && subscription.target.consumer === START_TIMER;

/**
 * The subscriptions of a test that runs no timer runner by design: without `start-timer`, a
 * `timer.scheduled` goes nowhere (its wait item is still written). Subscribed without a starter, each
 * one would fail its attempts on the missing starter, log each, and be dead-lettered: what a deployment
 * lacking the starter should do, loudly, and only noise in such a test.
 */
export const withoutTimers = (all: readonly Subscription[]): Subscription[] => all.filter((subscription) => !startsTimers(subscription));

/**
 * The local events service over a test table, with injected subscriptions and consumers (fixtures).
 * A test that subscribes `start-timer` sets `deps.timers` first (a timer runner), or says it runs no
 * timers by design with `withoutTimers(subscriptions)`.
 */
export const startLocalEvents = (
  deps: AppDeps,
  options: { subscriptions: Subscription[]; consumers: EventConsumer[]; positions?: PositionStore; attempts?: number; router?: EventRouter },
): LocalEvents => {
  if (!options.router && !deps.timers && options.subscriptions.some(startsTimers)) {
    throw new Error('start-timer is subscribed but deps.timers is not set: start a timer runner first, or pass withoutTimers(subscriptions) if the test runs no timers by design');
  }
  const router =
    options.router ??
    createEventRouter({ deps, subscriptions: options.subscriptions, consumers: options.consumers, retry: { attempts: options.attempts ?? 3, baseDelayMs: 10 }, log: () => undefined });
  const seen: BusEvent[] = [];
  const untap = router.tap((e) => void seen.push(e));
  const client = streamsClient();
  const poller = createStreamPoller({ client, tableName: deps.tableName, positions: options.positions ?? memoryPositionStore(), publish: router.publish });
  poller.start();
  return {
    router,
    poller,
    seen,
    stop: async () => {
      await poller.stop();
      await router.drain();
      untap();
      client.destroy();
    },
  };
};

/**
 * The e2e setup with the real outbox path: the local API (with the demo seed) and the local event
 * stream poller and router running every subscription and consumer of the tables. `stop` stops both.
 */
export const startE2eWithEvents = async (): Promise<{ api: E2eApi; events: LocalEvents; stop: () => Promise<void> }> => {
  const api = await startE2eApi();
  // No timer runner here: tests that need timers use tests/support/cadence-cloud.ts.
  const events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
  return {
    api,
    events,
    stop: async () => {
      await events.stop();
      await api.close();
    },
  };
};
