import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { buildHistoryItem, type HistoryItem } from '../../../shared/db/history.js';
import { requestKeys } from '../../../shared/db/keys.js';
import { HISTORY_COPY_SLOTS, historyCopyFromItem, historyCopyPut, historyCopyUpdate, type HistoryCopyState } from '../../../shared/db/request-history-copy.js';
import { toRequestHistoryView } from '../../../shared/db/requests-repo.js';
import type { TransactItem } from '../../../shared/db/transact.js';
import { itemBytes } from '../../bench/capacity-meter.js';

// A request's history copy (shared/db/request-history-copy.ts): shown only when it holds the whole
// history, exactly as the partition would give it, and far below 400 KB however writers race.

const deps = { tableName: 't' } as AppDeps;
const ID = '01M969BX2DQKYDG7CAE1A6Y97H.Arrangements';
const entry = (n: number, comment?: string): HistoryItem =>
  buildHistoryItem({
    subjectPK: requestKeys.partition(ID),
    subject: { type: 'request', id: ID, module: 'Arrangements' },
    eventId: `01HISTORY${String(n).padStart(17, '0')}`,
    eventName: comment ? 'request.commented' : 'request.status-changed',
    occurredAt: new Date(Date.UTC(2026, 11, 6, 9, 0, n)).toISOString(),
    data: { requestId: ID, module: 'Arrangements', teamId: 'T1', requesterId: 'u-requester', title: 'Trip', status: 'In Progress', ...(comment ? { comment } : {}) },
    context: { actor: 'u-ops', via: 'api', correlationId: `c${n}` },
  });

/** What DynamoDB does with the copy's Put and Update (the only expressions they use: SET slots, ADD count). */
const apply = (item: Record<string, unknown> | undefined, write: TransactItem): Record<string, unknown> => {
  if (write.Put) return { ...write.Put.Item };
  const update = write.Update!;
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const next: Record<string, unknown> = { ...(item ?? update.Key) };
  const [set = '', add = ''] = update.UpdateExpression!.replace(/^SET /, '').split(/ ?ADD /);
  for (const part of set.split(', ').filter(Boolean)) {
    const [name, value] = part.split(' = ') as [string, string];
    next[names[name]!] = values[value];
  }
  const [name, value] = add.split(' ') as [string, string];
  next[names[name]!] = ((next[names[name]!] as number | undefined) ?? 0) + (values[value] as number);
  return next;
};

const put = (entries: HistoryItem[]) => apply(undefined, historyCopyPut(deps, ID, 'Arrangements', entries));
const add = (item: Record<string, unknown>, seen: HistoryCopyState, entries: HistoryItem[]) => historyCopyUpdate(deps, ID, seen, entries).reduce(apply, item);
const stateOf = (item: Record<string, unknown>) => historyCopyFromItem(item)!.state;

describe("a request's history copy", () => {
  it('holds the whole history while it fits: the same views, oldest first', () => {
    let item = put([entry(1)]);
    item = add(item, stateOf(item), [entry(2), entry(3)]);
    item = add(item, stateOf(item), [entry(4, 'Booked')]);
    expect(historyCopyFromItem(item)?.entries).toEqual([1, 2, 3].map((n) => toRequestHistoryView(entry(n))).concat(toRequestHistoryView(entry(4, 'Booked'))));
  });

  it('is not shown after two writers raced for one slot (the count says one is missing)', () => {
    const item = put([entry(1)]);
    const seen = stateOf(item);
    const raced = add(add(item, seen, [entry(2)]), seen, [entry(3)]);
    expect(raced.count).toBe(3);
    expect(historyCopyFromItem(raced)?.entries).toBeUndefined();
    // Later writers carry on counting; the copy stays not shown (the partition is read).
    expect(historyCopyFromItem(add(raced, stateOf(raced), [entry(4)]))?.entries).toBeUndefined();
  });

  it('is not shown once the history outgrows its slots or its byte budget', () => {
    let item = put([entry(0)]);
    for (let n = 1; n < HISTORY_COPY_SLOTS; n++) item = add(item, stateOf(item), [entry(n)]);
    expect(historyCopyFromItem(item)?.entries).toHaveLength(HISTORY_COPY_SLOTS);
    item = add(item, stateOf(item), [entry(99)]);
    expect(historyCopyFromItem(item)?.entries).toBeUndefined();
    expect(Object.keys(item).filter((k) => /^h\d+$/.test(k))).toHaveLength(HISTORY_COPY_SLOTS);

    // The worst writers can do: every slot filled with the longest comment (each writer read an early state).
    let worst = put([entry(0, '語'.repeat(4000))]);
    for (let n = 1; n < HISTORY_COPY_SLOTS + 4; n++) worst = add(worst, { count: n, bytes: 0 }, [entry(n, '語'.repeat(4000))]);
    expect(itemBytes(worst)).toBeLessThan(300_000);

    let long = put([entry(0)]);
    for (let n = 1; n < 10; n++) long = add(long, stateOf(long), [entry(n, '語'.repeat(4000))]);
    expect(historyCopyFromItem(long)?.entries).toBeUndefined();
  });

  it('a request written before copies has none, and a change adds nothing to it', () => {
    expect(historyCopyFromItem(undefined)).toBeUndefined();
    expect(historyCopyUpdate(deps, ID, undefined, [entry(1)])).toEqual([]);
  });

  it('whatever writers race with whatever they read: shown only when it is the whole history, and far below 400 KB', () => {
    const writer = fc.record({ readAt: fc.nat(), entries: fc.integer({ min: 1, max: 3 }), comment: fc.option(fc.string({ unit: 'grapheme', maxLength: 4000 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(writer, { maxLength: 30 }), (writers) => {
        let n = 1;
        const all = [entry(n++)];
        const snapshots = [put(all)];
        for (const w of writers) {
          const seen = snapshots[w.readAt % snapshots.length]!;
          const written = Array.from({ length: w.entries }, () => entry(n++, w.comment?.slice(0, 4000) || undefined));
          all.push(...written);
          snapshots.push(add(snapshots.at(-1)!, stateOf(seen), written));
        }
        const last = snapshots.at(-1)!;
        const shown = historyCopyFromItem(last)?.entries;
        if (shown) expect(shown).toEqual(all.map(toRequestHistoryView));
        expect(itemBytes(last)).toBeLessThan(300_000);
      }),
      { numRuns: 60 },
    );
  });
});
