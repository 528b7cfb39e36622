import { createHash } from 'node:crypto';
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

/**
 * One wait of the shared timer (stepfunctions/timer): "wake `kind`'s handler for `key` at `wakeAt`,
 * if `token` still holds then". Every feature that waits (blueprint automatic transitions, approval
 * reminders, cadence steps, workflow-rule date triggers…) schedules these and registers ONE wake
 * handler for its `kind` in stepfunctions/timer/wake-handlers.ts.
 */
export interface TimerRequest {
  /** Which feature's wake handler runs: kebab-case, e.g. `approval-sla`. */
  kind: string;
  /** What the wait is about, in the feature's own terms (e.g. `<recordId>#<level>`). */
  key: string;
  /** When to wake, ISO 8601 UTC. */
  wakeAt: string;
  /**
   * What must still be true at wake-up, as the feature stores it (e.g. the record version or step
   * number that scheduled the wait). A wake whose token no longer matches ends quietly.
   */
  token: string;
}

/** Standard executions last at most a year; a timer further away is a feature's job to chain (wake early, return `next`). */
export const MAX_TIMER_DAYS = 360;

const MS_PER_DAY = 86_400_000;

export const TimerRequestSchema = lazySchema(() => z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'kebab-case, at most 40 characters'),
  key: z.string().min(1).max(500),
  wakeAt: z.iso.datetime({ offset: false }),
  token: z.string().min(1).max(200),
}));

/** A timer request that cannot be scheduled (malformed, or too far ahead). */
export class InvalidTimerRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTimerRequest';
  }
}

/**
 * Validates a request against the clock and normalises `wakeAt` to whole-second UTC (`…:ssZ`, the
 * form Step Functions' Wait accepts everywhere). A past `wakeAt` is fine: the timer wakes at once.
 */
export const normaliseTimerRequest = (input: unknown, now: Date): TimerRequest => {
  const parsed = TimerRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidTimerRequest(parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; '));
  }
  const at = new Date(parsed.data.wakeAt);
  if (at.getTime() - now.getTime() > MAX_TIMER_DAYS * MS_PER_DAY) {
    throw new InvalidTimerRequest(`wakeAt ${parsed.data.wakeAt} is more than ${MAX_TIMER_DAYS} days ahead: wake earlier and return the next wake`);
  }
  // Round up, so a timer never wakes before its time.
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return { ...parsed.data, wakeAt: new Date(seconds).toISOString().replace('.000Z', 'Z') };
};

/**
 * The execution name of a timer: derived from (kind, key, token), so starting the same timer twice
 * (a redelivered event, a retried task) is a no-op. Step Functions names: at most 80 of [A-Za-z0-9_-].
 * A next wake must therefore carry a new token.
 */
export const timerExecutionName = (req: Pick<TimerRequest, 'kind' | 'key' | 'token'>): string =>
  `${req.kind}-${createHash('sha256').update(`${req.kind}\u0000${req.key}\u0000${req.token}`).digest('hex').slice(0, 40)}`;

/** What a wake handler answers: nothing more to do, or the next wake (a new token, so a new execution). */
export interface WakeResult {
  next?: { wakeAt: string; token: string };
}

/**
 * Waits are carried by time buckets (stepfunctions/timer/README.md): a pending wait is an item in its
 * bucket's partition, and one execution per bucket wakes the bucket's items when it opens.
 * A bucket is named by the instant it opens: `wakeAt` rounded UP to the width, so every item in it
 * is due when it opens and none wakes early. A wake is at most one width late (plus the paging).
 */
export const TIMER_BUCKET_SECONDS = 60;

/**
 * A wait due within this margin of now goes to a later bucket: the bucket's execution then pages
 * only after the write that scheduled it has committed, whatever the clocks' small disagreements.
 */
export const TIMER_SCHEDULE_MARGIN_SECONDS = 2;

/** The bucket a wait goes to: `wakeAt` (but not before now + margin) rounded up to the bucket width. */
export const timerBucket = (wakeAt: string, now: Date): string => {
  const width = TIMER_BUCKET_SECONDS * 1000;
  const earliest = Math.max(Date.parse(wakeAt), now.getTime() + TIMER_SCHEDULE_MARGIN_SECONDS * 1000);
  return new Date(Math.ceil(earliest / width) * width).toISOString().replace('.000Z', 'Z');
};

/** An instant in an execution name: `2026-05-01T09:01:00Z` → `20260501T090100Z` (names allow no `-` or `:` inside a part). */
const compactInstant = (iso: string): string => iso.replace(/[-:]/g, '');

/** A bucket's execution name: one per bucket, so opening it twice is a no-op. `bucket-20260501T0901Z`. */
export const bucketExecutionName = (bucket: string): string => `bucket-${compactInstant(bucket).replace(/00Z$/, 'Z')}`;

/** Late waits of one bucket seen within one window this wide share one catch-up. */
export const TIMER_CATCH_UP_SECONDS = 5;

const CATCH_UP_INFIX = '-late-';

/**
 * The catch-up of a wait whose bucket had already opened when start-timer saw it (the bucket's own
 * execution may have paged past it): an execution that pages the whole bucket once the window `now`
 * falls in has ended, plus the margin. Every wait start-timer sees in that window committed before it
 * was seen, so before the catch-up pages: one execution wakes every late wait of the window, where one
 * per wait cost two transitions each (a burst of late events, or the local cloud's scaled time).
 * Named after the bucket and the window: `bucket-20260501T0901Z-late-20260501T090215Z`.
 */
export const catchUpRun = (bucket: string, now: Date): { executionName: string; input: BucketRun } => {
  const width = TIMER_CATCH_UP_SECONDS * 1000;
  const wakeAt = new Date(Math.ceil((now.getTime() + TIMER_SCHEDULE_MARGIN_SECONDS * 1000) / width) * width).toISOString().replace('.000Z', 'Z');
  return { executionName: `${bucketExecutionName(bucket)}${CATCH_UP_INFIX}${compactInstant(wakeAt)}`, input: { bucket, wakeAt } };
};

/** Whether an execution is a catch-up (catchUpRun), or a next pass of one. */
export const isCatchUpExecution = (executionName: string): boolean => executionName.startsWith('bucket-') && executionName.includes(CATCH_UP_INFIX);

/** The input of a bucket's execution: wait until `wakeAt` (the bucket's opening), then wake its due items. */
export const BucketRunSchema = lazySchema(() => z.object({
  bucket: z.iso.datetime({ offset: false }),
  /** When to (re)start paging: the bucket's opening, later a lease's end or a not-yet-due item's time. */
  wakeAt: z.iso.datetime({ offset: false }),
  /** Only this wait (its sort key): the catch-ups started before they paged whole buckets. */
  only: z.string().min(1).max(300).optional(),
  /** Which pass over the bucket this is: a pass that runs out of time starts the next (absent: the first). */
  pass: z.number().int().min(2).max(10_000).optional(),
}));
export type BucketRun = z.infer<typeof BucketRunSchema>;

/**
 * The execution of a run's next pass, started by a pass that ran out of time: the run's execution
 * name and the pass, so a retried pass starts it once. `bucket-20260501T0901Z-pass2`, then `-pass3`.
 */
export const nextPassExecutionName = (execution: string, pass = 1): string => `${execution.replace(/-pass\d+$/, '')}-pass${pass + 1}`;

/**
 * What a bucket's Wake task answers, and the execution's output. `done` is always true: a pass that
 * runs out of time starts the bucket's next pass as an execution of its own (`nextPass`) rather than
 * looping (an execution started before that change still reads `done` in its Choice state).
 */
export interface BucketRunOutput extends BucketRun {
  done: true;
  /** The next pass this one started: its execution's name and when it pages. */
  nextPass?: { execution: string; wakeAt: string };
  /** Waits this run woke (their handlers ran and their items are gone). */
  woken: number;
  /** Waits whose wake another execution was running (a catch-up and its bucket): left to it. */
  held: number;
}
