/**
 * Replaying a dead letter to the one subscription it failed for, the same way in AWS and locally:
 * the stored event goes back on the bus with source `keiro.replay` and a `replay` marker naming the
 * subscription. Every subscription's rule uses `rulePattern`, which matches its own events (source
 * `keiro` unless the subscription names another) or a replay addressed to it — so no other target
 * sees the replay.
 */
import type { DeadLetterItem } from '../db/dead-letters-repo.js';
import { EVENT_SOURCE, type BusEvent, type EventEnvelope } from './envelope.js';
import type { EventPattern } from './event-pattern.js';
import type { BusEntry } from './outbox.js';

export const REPLAY_SOURCE = 'keiro.replay';

/** Hands a dead letter's event back to its one target. Local: the event router; AWS: PutEvents on the bus. */
export interface DeadLetterReplayer {
  replay: (deadLetter: DeadLetterItem) => Promise<void>;
}

/**
 * The pattern of a subscription's EventBridge rule (CDK) and of its local route: the subscription's
 * own pattern — restricted to source `keiro` when it names no source — or a replay addressed to it.
 */
export const rulePattern = (subscription: { id: string; pattern: Record<string, unknown> }): EventPattern => {
  const own = 'source' in subscription.pattern ? subscription.pattern : { source: [EVENT_SOURCE], ...subscription.pattern };
  return {
    $or: [own as EventPattern, { source: [REPLAY_SOURCE], detail: { replay: { subscriptionId: [subscription.id] } } }],
  };
};

/** The bus entry that replays `deadLetter` (original detail-type, time and envelope, plus the marker). */
export const replayEntry = (deadLetter: Pick<DeadLetterItem, 'id' | 'subscriptionId' | 'event'>): Omit<BusEntry, 'Source'> & { Source: string } => {
  const { replay: _previous, ...envelope } = deadLetter.event.detail;
  const detail: EventEnvelope = { ...envelope, replay: { deadLetterId: deadLetter.id, subscriptionId: deadLetter.subscriptionId } };
  return {
    Source: REPLAY_SOURCE,
    DetailType: deadLetter.event['detail-type'],
    Detail: JSON.stringify(detail),
    Time: new Date(deadLetter.event.time),
  };
};

export const isReplay = (event: BusEvent): boolean => event.detail?.replay !== undefined;
