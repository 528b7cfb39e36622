import type { AppDeps } from '../../../shared/adapters/deps.js';
import { InvalidTimerRequest, TimerRequestSchema, type TimerRequest } from '../../../shared/domain/timers/timer.js';
import { scheduleTimer } from '../../../shared/db/timers.js';
import { wakeHandlers, type WakeHandler } from '../wake-handlers.js';

/** No handler is registered for the timer's kind: retrying cannot help. */
export class UnknownTimerKind extends Error {
  constructor(kind: string) {
    super(`No wake handler for timer kind "${kind}" in stepfunctions/timer/wake-handlers.ts`);
    this.name = 'UnknownTimerKind';
  }
}

/** Errors the state machine does not retry (the execution fails at once and is alarmed). */
export const NON_RETRYABLE_WAKE_ERRORS = ['InvalidTimerRequest', 'UnknownTimerKind'] as const;

export interface WakeOutput {
  kind: string;
  key: string;
  token: string;
  /** The next wake this one scheduled (a new execution), if any. */
  next?: { wakeAt: string; token: string; executionName: string };
}

/**
 * The timer's `Wake` task: the wait is over.
 * 1. Parse the timer request (the execution input).
 * 2. Dispatch on `kind` to its wake handler, which re-reads DynamoDB and acts only if the token still holds.
 * 3. If it returns a next wake: start it as a new timer execution (named after its new token, so a
 *    retried task does not start it twice). One execution per wake keeps every wake at 2 state
 *    transitions (Wait, Wake) instead of a Choice loop's 3.
 */
export const wake = async (deps: AppDeps, input: unknown, handlers: Record<string, WakeHandler> = wakeHandlers): Promise<WakeOutput> => {
  const parsed = TimerRequestSchema.safeParse(input);
  if (!parsed.success) throw new InvalidTimerRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const timer: TimerRequest = parsed.data;
  const handler = Object.hasOwn(handlers, timer.kind) ? handlers[timer.kind] : undefined;
  if (!handler) throw new UnknownTimerKind(timer.kind);
  const result = await handler(deps, timer);
  const out: WakeOutput = { kind: timer.kind, key: timer.key, token: timer.token };
  if (!result.next) return out;
  if (result.next.token === timer.token) {
    throw new InvalidTimerRequest(`The next wake of ${timer.kind} ${timer.key} reuses token "${timer.token}": a next wake needs a new token`);
  }
  const next = await scheduleTimer(deps, { kind: timer.kind, key: timer.key, wakeAt: result.next.wakeAt, token: result.next.token });
  return { ...out, next: { wakeAt: next.request.wakeAt, token: next.request.token, executionName: next.executionName } };
};
