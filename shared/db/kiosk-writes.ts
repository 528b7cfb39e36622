import type { AppDeps } from '../adapters/deps.js';
import { Conflict } from '../domain/errors.js';
import { putQuotes, quotePut, type QuoteTarget } from './quotes.js';
import { ConditionFailed, MAX_TRANSACT_ITEMS, transactWrite, type TransactItem } from './transact.js';

/** What one action writes, with how to explain its failed conditions. */
export interface WritePart {
  items: TransactItem[];
  /**
   * The error for failed conditions of this part (at `offset` in the transaction), or `stale`: what the
   * part was built from moved on (a record changed since it was read), so the step is to be run again.
   */
  failure: (offset: number, failed: number[]) => Error | 'stale' | undefined;
  /** Called once the part is written (e.g. a business metric). */
  written?: () => void;
}

/** What a kiosk request writes last, in the same transaction: the run itself, and the quotes of what it copies. */
export interface RunWrite {
  put: TransactItem;
  /** A failed condition on the run: it moved on since it was read. */
  moved: () => Error;
  quotes: { subjects: readonly string[]; target: QuoteTarget };
}

/** Thrown when a part came back `stale`: nothing of the transaction was written; the caller runs the step again. */
export class StaleStep extends Error {
  constructor() {
    super('A record the kiosk step read changed before it was written');
    this.name = 'StaleStep';
  }
}

const keyOf = (item: TransactItem): string | undefined => {
  const key = (item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key) as { PK?: unknown; SK?: unknown } | undefined;
  return key ? `${String(key.PK)}\u0000${String(key.SK)}` : undefined;
};

/** Room kept in the one transaction for the run, a few quotes and the idempotency mark. */
const KEPT_FOR_THE_RUN = 10;

/**
 * The writes of one kiosk request, gathered so that they are made in ONE TransactWriteItems with the
 * run's own state: every action's record writes, history entries, requested notifications and webhooks,
 * the quotes of the records the run copies, and (added by transactWrite) the idempotency mark. All or
 * nothing: a submit that fails writes nothing and leaves the run on its screen.
 * Two limits of a transaction are kept by writing earlier: when an action would touch an item the plan
 * already touches (e.g. a second update of one record) or the plan would pass 100 items, what is planned
 * so far is written first, in its own transaction, as each action used to be (safe to do again: updates
 * are idempotent, creations and notifications are keyed by (run, step)).
 */
export class KioskWrites {
  private parts: WritePart[] = [];
  private touched = new Set<string>();
  private size = 0;
  /** Whether some of this request's writes were made ahead of the run's own. */
  flushed = false;

  constructor(private readonly deps: AppDeps) {}

  async add(part: WritePart): Promise<void> {
    const keys = part.items.map(keyOf);
    if (keys.some((k) => k !== undefined && this.touched.has(k)) || this.size + part.items.length > MAX_TRANSACT_ITEMS - KEPT_FOR_THE_RUN) await this.flush();
    this.parts.push(part);
    this.size += part.items.length;
    for (const k of keys) if (k !== undefined) this.touched.add(k);
  }

  /** Writes what is planned so far, in its own transaction. */
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.touched = new Set();
    this.size = 0;
    await this.write([], () => undefined, parts);
    this.flushed = true;
  }

  /** Writes the plan and the run (with its quotes) in one transaction. */
  async commit(run: RunWrite): Promise<void> {
    let quotes = [...new Set(run.quotes.subjects)].map((pk) => quotePut(this.deps.tableName, pk, run.quotes.target));
    // The idempotency mark takes one more place.
    if (1 + quotes.length + this.size + 1 > MAX_TRANSACT_ITEMS) await this.flush();
    if (1 + quotes.length + 1 > MAX_TRANSACT_ITEMS) {
      // Quotes ahead of the copy: a quote without its copy is harmless (shared/db/quotes.ts).
      await putQuotes(this.deps, run.quotes.subjects, run.quotes.target);
      quotes = [];
    }
    const parts = this.parts;
    this.parts = [];
    await this.write([run.put, ...quotes], (failed) => (failed.includes(0) ? run.moved() : undefined), parts);
  }

  private async write(head: TransactItem[], headFailure: (failed: number[]) => Error | undefined, parts: WritePart[]): Promise<void> {
    try {
      await transactWrite(this.deps, [...head, ...parts.flatMap((p) => p.items)]);
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      const failed = error.failedIndexes;
      const onHead = headFailure(failed.filter((i) => i < head.length));
      if (onHead) throw onHead;
      let offset = head.length;
      for (const part of parts) {
        const failure = part.failure(offset, failed);
        if (failure === 'stale') throw new StaleStep();
        if (failure) throw failure;
        offset += part.items.length;
      }
      throw new Conflict('The kiosk step could not be written: something it relies on changed at the same time; try again');
    }
    for (const part of parts) part.written?.();
  }
}
