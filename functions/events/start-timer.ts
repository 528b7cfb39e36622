import type { AppDeps } from '../../shared/adapters/deps.js';
import { startTimerRuns } from '../../shared/db/timers.js';
import { timerScheduled } from '../../shared/events/catalog/timer-scheduled.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';

export const START_TIMER = 'start-timer';

/**
 * On `timer.scheduled` (the pending wait timerTransactItem wrote inside a command's transaction):
 * 1. Parse the request (a malformed one throws: retried, then dead-lettered).
 * 2. Open the wait's bucket: start the execution named after the bucket, and, if the bucket has
 *    already opened, the catch-up of this moment's window (shared/db/timers.ts startTimerRuns). Names
 *    that exist mean the runs are already there.
 */
export const handleTimerScheduled = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const scheduled = timerScheduled.schema.parse(event.detail.data);
  await startTimerRuns(deps, scheduled);
};

export const startTimerConsumer: EventConsumer = { name: START_TIMER, handle: handleTimerScheduled };
