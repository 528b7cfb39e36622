import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DeadLetterReplayer } from '../events/replay.js';
import { replayEntry } from '../events/replay.js';

export const createEventBridgeClient = (region: string): EventBridgeClient => new EventBridgeClient({ region });

/**
 * The AWS replayer: puts the dead letter's event back on the bus as a replay addressed to its one
 * subscription (only that subscription's rule matches it, see shared/events/replay.ts). The consumer
 * Lambda records the outcome on the dead letter when it has handled (or given up on) the replay.
 */
export const eventBridgeReplayer = (client: EventBridgeClient, eventBusName: string): DeadLetterReplayer => ({
  replay: async (deadLetter) => {
    const res = await client.send(new PutEventsCommand({ Entries: [{ ...replayEntry(deadLetter), EventBusName: eventBusName }] }));
    const failed = res.Entries?.find((e) => e.ErrorCode);
    if ((res.FailedEntryCount ?? 0) > 0 || failed) {
      throw new Error(`The bus refused the replay: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim());
    }
  },
});
