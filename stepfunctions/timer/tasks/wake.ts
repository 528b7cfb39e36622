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
import { claimWakes, pendingWaits, releaseWake, waitDeletes, wokenWrites, type PendingWait, type WakeClaimant } from '../../../shared/db/timer-wakes.js';
import { batchWriter } from '../../../shared/db/batch-write.js';
import { nextPassExecutionName, timerExecutionName } from '../../../shared/domain/timers/timer.js';
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
/** A pass starts no new page after this long, and hands the rest of its bucket to the next pass (an execution of its own). */
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

/** One wake due now, its handler, and the waits that carry it (copies of one schedule; none for an execution started before buckets). */
interface DueWake {
  request: TimerRequest;
  handler: WakeHandler;
  waits: Key[];
}

/** What became of a due wake: it ran (and maybe scheduled the next), it had already woken, or another execution is waking it. */
type WakeOutcome = { status: 'woken'; next?: NonNullable<WakeOutput['next']> } | { status: 'already-woken' } | { status: 'held' };

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

/** Runs a claimed wake's handler and schedules the next wake it returns (a new token: a new wait, in its bucket). */
const runHandler = async (deps: AppDeps, { request, handler }: DueWake): Promise<WakeOutcome> => {
  const result = await handler(deps, request);
  if (!result.next) return { status: 'woken' };
  if (result.next.token === request.token) {
    throw new InvalidTimerRequest(`The next wake of ${request.kind} ${request.key} reuses token "${request.token}": a next wake needs a new token`);
  }
  const next = await scheduleTimer(deps, { kind: request.kind, key: request.key, wakeAt: result.next.wakeAt, token: result.next.token });
  return { status: 'woken', next: { wakeAt: next.request.wakeAt, token: next.request.token, bucket: next.bucket } };
};

/**
 * Wakes distinct wakes exactly once, in few round trips:
 * 1. claim them all (claimWakes: one transaction per 100 when none is taken). A wake that already
 *    woke only has its waits dropped; one another execution is waking is left to it (`held`);
 * 2. run each claimed wake's handler, WAKES_IN_PARALLEL at a time; it re-reads DynamoDB and acts only
 *    if the token still holds, and its next wake is scheduled;
 * 3. complete it: the claim becomes final and its waits go, 25 writes to a BatchWriteItem as wakes
 *    finish, the rest at the end. A crash before that write leaves the claim to this execution's next
 *    attempt, which runs the handler again: handlers are idempotent (the token), as before buckets.
 * A handler's failure releases its claim (the next attempt claims it at once) and is returned, its waits kept.
 */
const wakeAll = async (deps: AppDeps, claimant: WakeClaimant, dues: readonly DueWake[]): Promise<{ outcomes: Map<string, WakeOutcome>; errors: unknown[] }> => {
  const outcomes = new Map<string, WakeOutcome>();
  const claims = await claimWakes(deps, dues.map((d) => d.request), claimant);
  const completions = batchWriter(deps);
  const claimed: Array<{ due: DueWake; claimId: string }> = [];
  for (const due of dues) {
    const name = timerExecutionName(due.request);
    const claim = claims.get(name);
    if (claim?.status === 'claimed') claimed.push({ due, claimId: claim.claimId });
    else if (claim?.status === 'woken') {
      outcomes.set(name, { status: 'already-woken' });
      await completions.add(...waitDeletes(due.waits));
    } else outcomes.set(name, { status: 'held' });
  }
  const errors = await settleInParallel(claimed, WAKES_IN_PARALLEL, async ({ due, claimId }) => {
    let outcome: WakeOutcome;
    try {
      outcome = await runHandler(deps, due);
    } catch (error) {
      await releaseWake(deps, due.request, claimId);
      throw error;
    }
    await completions.add(...wokenWrites(deps, due.request, claimant, claimId, due.waits));
    outcomes.set(timerExecutionName(due.request), outcome);
  });
  await completions.flush();
  return { outcomes, errors };
};

/** A page's waits as the wakes they carry (copies of one wake go together); a malformed wait is an error, not a wake. */
const dueWakes = (waits: readonly PendingWait[], handlers: Record<string, WakeHandler>): { dues: DueWake[]; errors: unknown[] } => {
  const dues = new Map<string, DueWake>();
  const errors: unknown[] = [];
  for (const wait of waits) {
    try {
      const request = parseRequest(wait.request);
      const name = timerExecutionName(request);
      const due = dues.get(name) ?? { request, handler: handlerFor(handlers, request.kind), waits: [] };
      due.waits.push(wait.key);
      dues.set(name, due);
    } catch (error) {
      errors.push(error);
    }
  }
  return { dues: [...dues.values()], errors };
};

/** Starts the bucket's next pass at once: this pass has spent its time budget, the rest of the bucket is the next one's. */
const startNextPass = async (deps: AppDeps, execution: string, run: BucketRun): Promise<NonNullable<BucketRunOutput['nextPass']>> => {
  // A misconfiguration, and loud: the task fails (alarmed) with the rest of the bucket kept for a redrive.
  if (!deps.timers) throw new Error('No timer starter is configured: a bucket pass that ran out of time cannot start the next');
  const next: BucketRun = { bucket: run.bucket, wakeAt: wholeSecondAfter(deps.clock().getTime()), ...(run.only ? { only: run.only } : {}), pass: (run.pass ?? 1) + 1 };
  const name = nextPassExecutionName(execution, run.pass);
  // Already started (a retry of this pass started it): the same next pass, which pages whatever is left.
  await deps.timers.start(name, next);
  return { execution: name, wakeAt: next.wakeAt };
};

/**
 * A bucket's pass: page its waits (all of them, or the one an older catch-up names) and wake each page's
 * wakes at once (wakeAll). Every wait in a bucket is due once the bucket opens (the Wait before this
 * task is the one judge of time, as before buckets). A pass pages at least once; when its time
 * budget is spent with pages left, it starts the bucket's next pass as an execution of its own
 * (two state transitions a pass, where a loop back to the Wait through a Choice cost four). After
 * the page loop, a failed wake fails the pass (the Retry policy runs it again; what woke is gone
 * and does not wake again) and no next pass is started: the retry pages the rest itself.
 */
const runBucket = async (deps: AppDeps, claimant: WakeClaimant, run: BucketRun, handlers: Record<string, WakeHandler>, budgetMs: number): Promise<BucketRunOutput> => {
  const started = performance.now();
  const tally = { woken: 0, held: 0 };
  let outOfTime = false;
  const errors: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await pendingWaits(deps, run.bucket, { limit: WAITS_PER_PAGE, ...(startKey ? { startKey } : {}), ...(run.only ? { only: run.only } : {}) });
    const { dues, errors: malformed } = dueWakes(page.waits, handlers);
    const { outcomes, errors: failed } = await wakeAll(deps, claimant, dues);
    errors.push(...malformed, ...failed);
    for (const due of dues) {
      const outcome = outcomes.get(timerExecutionName(due.request));
      if (outcome?.status === 'woken') tally.woken++;
      else if (outcome?.status === 'held') tally.held += due.waits.length;
    }
    startKey = page.nextKey;
    outOfTime = startKey !== undefined && performance.now() - started > budgetMs;
  } while (startKey && !outOfTime);
  const final = errors.find((e) => NON_RETRYABLE_WAKE_ERRORS.includes((e as Error).name as never)) ?? errors[0];
  if (final) throw final;
  if (!outOfTime) return { ...run, done: true, ...tally };
  return { ...run, done: true, ...tally, nextPass: await startNextPass(deps, claimant.execution, run) };
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
 * Either answers `done: true` (the task ends the execution; see BucketRunOutput).
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
  const { outcomes, errors } = await wakeAll(deps, claimant, [{ request: timer, handler: handlerFor(handlers, timer.kind), waits: [] }]);
  if (errors.length > 0) throw errors[0];
  const outcome = outcomes.get(timerExecutionName(timer));
  return { kind: timer.kind, key: timer.key, token: timer.token, done: true, ...(outcome?.status === 'woken' && outcome.next ? { next: outcome.next } : {}) };
};
