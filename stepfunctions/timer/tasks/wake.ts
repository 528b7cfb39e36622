import type { AppDeps } from '../../../shared/adapters/deps.js';
import {
  BucketRunSchema,
  InvalidTimerRequest,
  TimerRequestSchema,
  type BucketRun,
  type BucketRunOutput,
  type TimerRequest,
} from '../../../shared/domain/timers/timer.js';
import { ulid } from 'ulid';
import { scheduleTimer } from '../../../shared/db/timers.js';
import { claimWake, completeWake, dropWait, pendingWaits, releaseWake, type PendingWait, type WakeClaimant } from '../../../shared/db/timer-wakes.js';
import { timerExecutionName } from '../../../shared/domain/timers/timer.js';
import type { Key } from '../../../shared/db/keys.js';
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

/** Waits read per query, and woken at once, per page. */
export const WAITS_PER_PAGE = 100;
export const WAKES_IN_PARALLEL = 8;
/** A run starts no new page after this long, and hands the rest of its bucket to the next pass of the loop. */
export const BUCKET_RUN_BUDGET_MS = 240_000;

/** Output of a wake of one timer request (an execution started before buckets). */
export interface WakeOutput {
  kind: string;
  key: string;
  token: string;
  done: true;
  /** The next wake this one scheduled (a wait in its bucket), if any. */
  next?: { wakeAt: string; token: string; bucket: string };
}

const parseRequest = (input: unknown): TimerRequest => {
  const parsed = TimerRequestSchema.safeParse(input);
  if (!parsed.success) throw new InvalidTimerRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
};

const handlerFor = (handlers: Record<string, WakeHandler>, kind: string): WakeHandler => {
  const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined;
  if (!handler) throw new UnknownTimerKind(kind);
  return handler;
};

const wholeSecondAfter = (ms: number): string => new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Wakes one timer exactly once:
 * 1. claim its wake (a conditional write per kind, key, token); one that already woke only drops
 *    the wait that carried it; one another execution is waking is left to it (`held`);
 * 2. run the kind's handler, which re-reads DynamoDB and acts only if the token still holds;
 * 3. schedule the next wake it returns (a new token: a new wait, in its bucket);
 * 4. complete the claim and delete the wait. A failure releases the claim and is rethrown.
 */
const wakeOnce = async (deps: AppDeps, claimant: WakeClaimant, timer: TimerRequest, handler: WakeHandler, wait?: Key): Promise<WakeOutput | 'woken' | 'held'> => {
  const claim = await claimWake(deps, timer, claimant);
  if (claim.status === 'held') return 'held';
  if (claim.status === 'woken') {
    if (wait) await dropWait(deps, wait);
    return 'woken';
  }
  const out: WakeOutput = { kind: timer.kind, key: timer.key, token: timer.token, done: true };
  try {
    const result = await handler(deps, timer);
    if (result.next) {
      if (result.next.token === timer.token) {
        throw new InvalidTimerRequest(`The next wake of ${timer.kind} ${timer.key} reuses token "${timer.token}": a next wake needs a new token`);
      }
      const next = await scheduleTimer(deps, { kind: timer.kind, key: timer.key, wakeAt: result.next.wakeAt, token: result.next.token });
      out.next = { wakeAt: next.request.wakeAt, token: next.request.token, bucket: next.bucket };
    }
  } catch (error) {
    await releaseWake(deps, timer, claim.claimId);
    throw error;
  }
  await completeWake(deps, timer, claim.claimId, wait);
  return out;
};

/** Runs `work` over `items`, at most `limit` at a time; every item is tried, the errors are returned. */
const settleInParallel = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<unknown[]> => {
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => void errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return errors;
};

/** A page's waits grouped by the wake they carry: copies of one wake go through one lane, one after another. */
const byWake = (waits: PendingWait[]): PendingWait[][] => {
  const groups = new Map<string, PendingWait[]>();
  for (const w of waits) {
    const name = timerExecutionName(w.request);
    groups.set(name, [...(groups.get(name) ?? []), w]);
  }
  return [...groups.values()];
};

/**
 * A bucket's pass: page its waits (all of them, or the one a catch-up names) and wake each one, a
 * few at a time. Every wait in a bucket is due once the bucket opens (the Wait before this task is
 * the one judge of time, as before buckets). Answers `done`, or, when its time budget is spent, to
 * pass again at once. After the page loop, a failed wake fails the pass (the Retry policy runs it
 * again; what woke is gone and does not wake again).
 */
const runBucket = async (deps: AppDeps, claimant: WakeClaimant, run: BucketRun, handlers: Record<string, WakeHandler>, budgetMs: number): Promise<BucketRunOutput> => {
  const started = performance.now();
  const tally = { woken: 0, held: 0 };
  let again: number | undefined;
  const errors: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    if (performance.now() - started > budgetMs) {
      again = deps.clock().getTime();
      break;
    }
    const page = await pendingWaits(deps, run.bucket, { limit: WAITS_PER_PAGE, ...(startKey ? { startKey } : {}), ...(run.only ? { only: run.only } : {}) });
    errors.push(
      ...(await settleInParallel(byWake(page.waits), WAKES_IN_PARALLEL, async (copies) => {
        for (const { key, request } of copies) {
          const outcome = await wakeOnce(deps, claimant, parseRequest(request), handlerFor(handlers, request.kind), key);
          if (outcome === 'held') tally.held++;
          else if (outcome !== 'woken') tally.woken++;
        }
      })),
    );
    startKey = page.nextKey;
  } while (startKey);
  const final = errors.find((e) => NON_RETRYABLE_WAKE_ERRORS.includes((e as Error).name as never)) ?? errors[0];
  if (final) throw final;
  return again === undefined ? { ...run, done: true, ...tally } : { ...run, wakeAt: wholeSecondAfter(again), done: false, ...tally };
};

/** The Wake task's payload: the state's input and the execution's name (`$$.Execution.Name`). */
interface WakePayload {
  input: unknown;
  execution: string;
}
const isWakePayload = (payload: unknown): payload is WakePayload =>
  typeof payload === 'object' && payload !== null && 'input' in payload && typeof (payload as { execution?: unknown }).execution === 'string';

/**
 * The timer's `Wake` task: the wait is over. Its payload is `{ input, execution }` (an execution of
 * the state machine before buckets sent the input alone); the input is the execution's:
 * - a bucket run `{ bucket, wakeAt, only? }`: wake the bucket's due waits (runBucket);
 * - a timer request `{ kind, key, wakeAt, token }` (an execution started before buckets): wake it.
 * Either answers `done` for the state machine's Choice.
 */
export const wake = async (
  deps: AppDeps,
  payload: unknown,
  handlers: Record<string, WakeHandler> = wakeHandlers,
  options: { budgetMs?: number } = {},
): Promise<BucketRunOutput | WakeOutput> => {
  const { input, execution } = isWakePayload(payload) ? payload : { input: payload, execution: 'direct' };
  const claimant: WakeClaimant = { execution, attempt: ulid() };
  const bucketRun = BucketRunSchema.safeParse(input);
  if (bucketRun.success && (input as { bucket?: unknown }).bucket !== undefined) {
    return runBucket(deps, claimant, bucketRun.data, handlers, options.budgetMs ?? BUCKET_RUN_BUDGET_MS);
  }
  const timer = parseRequest(input);
  const out = await wakeOnce(deps, claimant, timer, handlerFor(handlers, timer.kind));
  return typeof out === 'object' ? out : { kind: timer.kind, key: timer.key, token: timer.token, done: true };
};
