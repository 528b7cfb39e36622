import { TimerRequestSchema } from '../../domain/timers/timer.js';
import { defineEvent } from './define-event.js';

/** `data` of timer.scheduled: the timer request itself (shared/domain/timers/timer.ts). */
export const TimerScheduledSchema = TimerRequestSchema;

export const timerScheduled = defineEvent({
  name: 'timer.scheduled',
  version: 1,
  description:
    'A command asked, in its own transaction, for a wake-up of the shared timer (shared/db/timers.ts timerTransactItem); ' +
    'the start-timer consumer starts the timer state machine, named after (kind, key, token).',
  schema: TimerScheduledSchema,
});
