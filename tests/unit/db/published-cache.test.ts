import { describe, expect, it } from 'vitest';
import { publishedCache } from '../../../shared/db/published-cache.js';

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

  it('peeks without loading, and remembers a version read in a caller\'s own batch (kiosk runs read theirs with the run)', async () => {
    const cache = publishedCache<number>(2);
    expect(cache.peek(['t', 'kiosk', 'k1', 1])).toBeUndefined();
    cache.remember(['t', 'kiosk', 'k1', 1], 7);
    expect(cache.peek(['t', 'kiosk', 'k1', 1])).toBe(7);
    const never = counting(8);
    expect(await cache.get(['t', 'kiosk', 'k1', 1], never.load)).toBe(7);
    expect(never.reads()).toBe(0);
    // Remembering is bounded like loading: the oldest goes first.
    cache.remember(['b'], 2);
    cache.remember(['c'], 3);
    expect(cache.peek(['t', 'kiosk', 'k1', 1])).toBeUndefined();
  });
});
