import type { AppDeps } from '../../shared/adapters/deps.js';
import { journeyStateChanged } from '../../shared/events/catalog/journey-state-changed.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { isReplay } from '../../shared/events/replay.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { runEntryActions } from '../journeys/entry-actions.js';

export const JOURNEY_ACTIONS = 'journey-actions';

/**
 * On `journey.state-changed`: run the entered state's entry actions (see runEntryActions), idempotent
 * on (event id, action index). Their writes carry depth + 1, so journeys and rules feeding each other stop.
 */
export const handleStateChanged = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const data = journeyStateChanged.schema.parse(event.detail.data);
  await runEntryActions(deps, eventIdOf(event), data, (event.detail.metadata.depth ?? 0) + 1, event.detail.metadata.correlationId, { resendUnconfirmed: isReplay(event) });
};

/** Idempotent by its own marks (no claim and finish per delivery): runActions records each action's outcome (with a record write, in its transaction), once marker and email claim. */
export const journeyActions: EventConsumer = { name: JOURNEY_ACTIONS, handle: handleStateChanged, idempotency: 'own-marks' };
