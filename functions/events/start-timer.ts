import type { AppDeps } from '../../shared/adapters/deps.js';
import { startTimer } from '../../shared/db/timers.js';
import { timerScheduled } from '../../shared/events/catalog/timer-scheduled.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';

export const START_TIMER = 'start-timer';

/**
 * On `timer.scheduled` (written by timerTransactItem inside a command's transaction): start the timer.
 * 1. Parse the request (a malformed one throws: retried, then dead-lettered).
 * 2. Start the timer state machine under the name derived from (kind, key, token); a name that
 *    exists means the timer is already there, so a redelivery or a duplicate request is a no-op.
 */
export const handleTimerScheduled = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const request = timerScheduled.schema.parse(event.detail.data);
  await startTimer(deps, request);
};

export const startTimerConsumer: EventConsumer = { name: START_TIMER, handle: handleTimerScheduled };
