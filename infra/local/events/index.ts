import { join } from 'node:path';
import type { LocalServiceFactory } from '../local-cloud.js';
import { filePositionStore, memoryPositionStore } from './positions.js';
import { createEventRouter, type EventRouter, type EventRouterOptions } from './router.js';
import { createStreamPoller, localStreamsClient } from './stream-poller.js';

export { createEventRouter, type EventRouter, type EventRouterOptions } from './router.js';
export { createStreamPoller, localStreamsClient, type StreamPoller, type StreamPollerOptions } from './stream-poller.js';
export { filePositionStore, memoryPositionStore, type PositionStore } from './positions.js';

/** Where `npm start` keeps the poller's stream positions (beside DynamoDB Local's data). */
export const STREAM_POSITIONS_FILE = 'stream-positions.json';

export interface EventsServiceOptions extends Pick<EventRouterOptions, 'startStateMachine' | 'retry' | 'onInvoke'> {
  /** Called with the router once it runs (e.g. to let other local services publish or tap). */
  onRouter?: (router: EventRouter) => void;
}

/** How long `settled` waits for the stream to run dry (a cloud whose timers keep firing never does). */
const SETTLE_PASSES = 50;
const SETTLE_MAX_MS = 30_000;

/**
 * The local events service for `npm start`: the event router over functions/subscriptions.ts, fed by
 * the stream poller (positions in `<home>/stream-positions.json`, or in memory with --in-memory). It
 * also becomes the API's dead-letter replayer. Stop order: poller (finishes its batch), then the
 * router's in-flight deliveries.
 */
export const eventsService =
  (serviceOptions: EventsServiceOptions = {}): LocalServiceFactory =>
  async (cloud, options) => {
    const router = createEventRouter({ deps: cloud.deps, ...serviceOptions });
    const client = localStreamsClient(options.region, cloud.dynamodbEndpoint);
    const positions = options.inMemory ? memoryPositionStore() : filePositionStore(join(options.home, STREAM_POSITIONS_FILE), cloud.deps.tableName);
    const poller = createStreamPoller({ client, tableName: cloud.deps.tableName, positions, publish: router.publish, region: options.region });
    cloud.deps.deadLetterReplayer = router;
    // The dev-only SES routes put their events on this bus (cadences).
    if (cloud.deps.cadence) cloud.deps.cadence.devBus = async (event) => void (await router.publish(event));
    serviceOptions.onRouter?.(router);
    poller.start();
    return {
      name: 'events',
      // Read the stream to its end and deliver everything, again while deliveries write new entries.
      settled: async () => {
        const giveUpAt = Date.now() + SETTLE_MAX_MS;
        for (let pass = 0; pass < SETTLE_PASSES && Date.now() < giveUpAt; pass++) {
          const read = await poller.pollOnce();
          await router.drain();
          if (read === 0) return;
        }
      },
      stop: async () => {
        await poller.stop();
        await router.drain();
        if (cloud.deps.deadLetterReplayer === router) delete cloud.deps.deadLetterReplayer;
        if (cloud.deps.cadence) delete cloud.deps.cadence.devBus;
        client.destroy();
      },
    };
  };
