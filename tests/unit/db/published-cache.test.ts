import { describe, expect, it } from 'vitest';
import { hintCache, publishedCache } from '../../../shared/db/published-cache.js';

/** Published definition versions are read once per container: they never change, so they never go stale. */
describe('publishedCache', () => {
  const counting = <V>(value: V | undefined) => {
    let reads = 0;
    return { load: async () => (reads++, value), reads: () => reads };
  };

  it('reads a found version once, then answers from memory', async () => {
    const cache = publishedCache<{ v: number }>();
    const source = counting({ v: 1 });
    expect(await cache.get(['t', 'kiosk', 'k1', 1], source.load)).toEqual({ v: 1 });
    expect(await cache.get(['t', 'kiosk', 'k1', 1], source.load)).toEqual({ v: 1 });
    expect(source.reads()).toBe(1);
  });

  it('does not remember a missing version (it may be published later), and keys by every part', async () => {
    const cache = publishedCache<string>();
    const missing = counting<string>(undefined);
    expect(await cache.get(['t', 'kiosk', 'k1', 2], missing.load)).toBeUndefined();
    expect(await cache.get(['t', 'kiosk', 'k1', 2], missing.load)).toBeUndefined();
    expect(missing.reads()).toBe(2);
    const other = counting('other table');
    expect(await cache.get(['t2', 'kiosk', 'k1', 2], other.load)).toBe('other table');
    expect(other.reads()).toBe(1);
  });

  it('forgets the oldest past its bound (a re-read, never a wrong answer)', async () => {
    const cache = publishedCache<number>(2);
    const first = counting(1);
    await cache.get(['a'], first.load);
    await cache.get(['b'], async () => 2);
    await cache.get(['c'], async () => 3);
    expect(await cache.get(['a'], first.load)).toBe(1);
    expect(first.reads()).toBe(2);
  });
});

/** Hints name what a request's one batch reads; the batch checks them, so a hint is replaced, never trusted. */
describe('hintCache', () => {
  it('answers what was last set, per key, and nothing for a key never seen', () => {
    const hints = hintCache<string>();
    expect(hints.get(['t', 'DEF#wizard#w1'])).toBeUndefined();
    hints.set(['t', 'DEF#wizard#w1'], 'Leads');
    hints.set(['t2', 'DEF#wizard#w1'], 'Deals');
    expect(hints.get(['t', 'DEF#wizard#w1'])).toBe('Leads');
    hints.set(['t', 'DEF#wizard#w1'], 'Contacts');
    expect(hints.get(['t', 'DEF#wizard#w1'])).toBe('Contacts');
    expect(hints.get(['t2', 'DEF#wizard#w1'])).toBe('Deals');
  });

  it('forgets the least recently set past its bound', () => {
    const hints = hintCache<number>(2);
    hints.set(['a'], 1);
    hints.set(['b'], 2);
    hints.set(['a'], 3);
    hints.set(['c'], 4);
    expect(hints.get(['b'])).toBeUndefined();
    expect(hints.get(['a'])).toBe(3);
    expect(hints.get(['c'])).toBe(4);
  });
});
