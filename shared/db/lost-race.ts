import { ConditionFailed } from './transact.js';
import { Conflict, StaleVersion } from '../domain/errors.js';
import type { IfMatch } from '../domain/version-precondition.js';

/** Attempts a read-modify-write takes before it gives up under contention (each re-reads). */
export const LOST_RACE_ATTEMPTS = 12;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff: a random wait in [0, min(cap, base·2^attempt)) ms. */
export const jitteredDelay = (attempt: number, baseMs = 5, capMs = 400): number => Math.random() * Math.min(capMs, baseMs * 2 ** attempt);

/**
 * The one retry loop of a lost race: runs `attempt` (numbered from 1) until it returns. An error that
 * `lost` calls a lost race is retried after a jittered backoff, until `attempts` are spent (then that
 * last error is thrown); any other error is thrown at once. `lost` may throw instead (its error then
 * ends the loop): that is how a caller turns a lost race into its own 409 or 412.
 */
export const retryWhileLost = async <T>(
  attempt: (attempt: number) => Promise<T>,
  lost: (error: unknown, attempt: number) => boolean,
  attempts = LOST_RACE_ATTEMPTS,
): Promise<T> => {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!lost(error, n) || n >= attempts) throw error;
      await sleep(jitteredDelay(n));
    }
  }
};

/**
 * Runs a read-modify-write until it lands: `read` the current state (`attempt` counts from 1), `write`
 * the change at the version read. A `ConditionFailed` from `write` means another writer won the race:
 * `onLost` decides what that means for this caller (throws, e.g. 412 when the caller sent If-Match, or
 * 409 when the budget is spent; returns to retry), then after a jittered backoff the state is read
 * again and the change re-applied. (Reads never fail a condition, so only the write's can be lost.)
 */
export const retryLostRace = <S, T>(read: (attempt: number) => Promise<S>, write: (state: S) => Promise<T>, onLost: (error: ConditionFailed, attempt: number) => void): Promise<T> =>
  retryWhileLost(
    async (attempt) => write(await read(attempt)),
    (error, attempt) => {
      if (!(error instanceof ConditionFailed)) return false;
      onLost(error, attempt);
      return true;
    },
    // onLost owns the budget (its 409 or 412 is the caller's answer), as before the loops were one.
    Number.POSITIVE_INFINITY,
  );

/**
 * The lost-race rule of every versioned write: with entity tags in If-Match a lost race is a 412;
 * without them (no header, or `*`) the write is re-applied on the new state until the retry budget is
 * spent (409).
 */
export const retryUnlessIfMatch =
  (ifMatch: IfMatch | undefined, what: string) =>
  (_error: ConditionFailed, attempt: number): void => {
    if (ifMatch?.kind === 'tags') throw new StaleVersion(`The ${what} changed since you read it`);
    if (attempt >= LOST_RACE_ATTEMPTS) throw new Conflict(`The ${what} is being changed by others; try again`);
  };

/**
 * An approval or review changed between its read and the write that decides it (another decision, an
 * SLA reminder or escalation): the command lost a race on the process item, not on the record.
 */
export class ProcessRaceLost extends Conflict {
  constructor() {
    super('The approval or review changed at the same time; read it again');
  }
}

/**
 * A process command (approve, reject, delegate, recall, a review decision) has no If-Match: a lost race
 * runs it again on the new state, which the engine re-decides (a decision already made elsewhere is then
 * the engine's own 409), until the retry budget is spent.
 */
export const retryProcessRace = <T>(command: () => Promise<T>): Promise<T> =>
  retryWhileLost(command, (error) => error instanceof ProcessRaceLost);

/**
 * A condition of an item the caller wrote with a record (its `extraItems`) failed and the caller did not
 * say what that means (ExtraFailure in records-repo.ts): something written with the change was changed at
 * the same time. Not the caller's fields (never a 400): a lost race, which a retry reads again.
 */
export class ExtraItemsRaceLost extends Conflict {
  constructor() {
    super('Something written with this change was changed at the same time; try again');
  }
}
