import { describe, expect, it } from 'vitest';
import { boundedMap, freshForCache, hintCache, publishedCache } from '../../../shared/db/published-cache.js';

/** The one eviction rule of the three caches below. */
describe('boundedMap', () => {
  it('keys by every part of the tuple, and forgets the least recently set past its bound', () => {
    const map = boundedMap<string>(2);
    map.set(['t', 'a'], 'ta');
    map.set(['t2', 'a'], 't2a');
    expect(map.get(['t', 'a'])).toBe('ta');
    expect(map.get(['t2', 'a'])).toBe('t2a');
    // Reading does not make an entry recent; setting it again does.
    map.set(['t', 'a'], 'ta again');
    map.set(['t3', 'a'], 't3a');
    expect(map.get(['t2', 'a'])).toBeUndefined();
    expect(map.get(['t', 'a'])).toBe('ta again');
    expect(map.get(['t3', 'a'])).toBe('t3a');
  });

  it('forgets an entry on delete, which makes room without evicting another', () => {
    const map = boundedMap<number>(2);
    map.set(['a'], 1);
    map.set(['b'], 2);
    map.delete(['a']);
    map.set(['c'], 3);
    expect([map.get(['a']), map.get(['b']), map.get(['c'])]).toEqual([undefined, 2, 3]);
  });
});

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

/** Definitions that change in place (a module's workflow rules) are used for at most their stated staleness. */
describe('freshForCache', () => {
  const clock = () => {
    let at = 1_000_000;
    return { now: () => at, advance: (ms: number) => void (at += ms) };
  };
  const source = <V>(first: V) => {
    let value = first;
    let reads = 0;
    return { load: async () => (reads++, value), set: (v: V) => void (value = v), reads: () => reads };
  };

  it('answers from memory while younger than its staleness, then reads again (an empty answer too)', async () => {
    const time = clock();
    const cache = freshForCache<string[]>(30_000, time.now);
    const rules = source<string[]>([]);
    expect(await cache.get(['t', 'Deals'], rules.load)).toEqual([]);
    rules.set(['r1']);
    time.advance(29_999);
    expect(await cache.get(['t', 'Deals'], rules.load)).toEqual([]);
    time.advance(1);
    expect(await cache.get(['t', 'Deals'], rules.load)).toEqual(['r1']);
    expect(rules.reads()).toBe(2);
  });

  it('a write in this container (forget) holds on the next read, and a read begun before it is not remembered', async () => {
    const time = clock();
    const cache = freshForCache<string>(30_000, time.now);
    const rules = source('before');
    let release: () => void = () => undefined;
    const slow = cache.get(['t', 'Deals'], () => new Promise<string>((resolve) => (release = () => resolve('before'))));
    cache.forget(['t', 'Deals']);
    release();
    expect(await slow).toBe('before');
    rules.set('after');
    expect(await cache.get(['t', 'Deals'], rules.load)).toBe('after');
    rules.set('later');
    cache.forget(['t', 'Deals']);
    expect(await cache.get(['t', 'Deals'], rules.load)).toBe('later');
  });
});
