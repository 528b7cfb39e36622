import * as z from 'zod';
import { TimerRequestSchema } from '../../domain/timers/timer.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

/**
 * `data` of timer.scheduled: the timer request itself (shared/domain/timers/timer.ts) and the time
 * bucket whose partition holds the wait. An entry written before buckets has no `bucket`.
 */
export const TimerScheduledSchema = lazySchema(() => TimerRequestSchema.extend({ bucket: z.iso.datetime({ offset: false }).optional() }));
export type TimerScheduled = z.infer<typeof TimerScheduledSchema>;

export const timerScheduled = defineEvent({
  name: 'timer.scheduled',
  version: 1,
  description:
    'A command asked, in its own transaction, for a wake-up of the shared timer (shared/db/timers.ts timerTransactItem): ' +
    'the entry is the pending wait, in its time bucket; the start-timer consumer opens the bucket\'s execution (named after the bucket).',
  schema: TimerScheduledSchema,
});
