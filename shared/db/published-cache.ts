/**
 * A map bounded to `kept` entries, keyed by a tuple (its parts joined): past `kept`, the least recently
 * set entry is forgotten. The one eviction rule of this container's caches below; forgetting costs a
 * re-read, never a wrong answer.
 */
export const boundedMap = <V>(kept = 500) => {
  const entries = new Map<string, V>();
  const idOf = (key: readonly unknown[]) => key.join('\u0000');
  return {
    get: (key: readonly unknown[]): V | undefined => entries.get(idOf(key)),
    /** Sets the entry as the most recent one, forgetting the oldest when full. */
    set(key: readonly unknown[], value: V): void {
      const id = idOf(key);
      entries.delete(id);
      if (entries.size >= kept) entries.delete(entries.keys().next().value as string);
      entries.set(id, value);
    },
    delete(key: readonly unknown[]): void {
      entries.delete(idOf(key));
    },
  };
};

/**
 * Per-container memory of published definition versions (process definitions, wizards, kiosks,
 * journeys, cadences). A published version is written once (`attribute_not_exists`) and never changed,
 * so an entry never goes stale: a new publication is a new key. Bounded (boundedMap): past `kept`
 * entries the least recently remembered is forgotten (a re-read, never a wrong answer).
 */
export const publishedCache = <V>(kept = 500) => {
  const entries = boundedMap<V>(kept);
  return {
    /** The cached value, without loading (e.g. to decide what a batch read must include). */
    peek: (key: readonly unknown[]): V | undefined => entries.get(key),
    /** Remembers a value read elsewhere (e.g. in a request's batch). */
    remember(key: readonly unknown[], value: V): void {
      entries.set(key, value);
    },
    /** The cached value, else `load()`'s (remembered when found). */
    async get(key: readonly unknown[], load: () => Promise<V | undefined>): Promise<V | undefined> {
      const cached = entries.get(key);
      if (cached !== undefined) return cached;
      const found = await load();
      if (found !== undefined) entries.set(key, found);
      return found;
    },
  };
};

/**
 * Per-container hints: what a request needs to name the keys of its one batch before it has read
 * anything (e.g. which module a wizard or a cadence is for), remembered from an earlier read. The batch
 * then reads the truth with them, consistently, and the caller checks the hint against it: a wrong hint
 * (the definition moved to another module since) costs one more batch, never a stale answer, so a hint
 * needs no staleness rule. A boundedMap, as it is.
 */
export const hintCache = <V>(kept = 500) => {
  const entries = boundedMap<V>(kept);
  return { get: entries.get, set: entries.set };
};

/**
 * Per-container memory of definitions that change in place (e.g. a module's workflow rules), with a
 * stated staleness: an entry is used for at most `maxAgeMs` after it was read, and a write in this
 * container forgets it at once (`forget`). So a change made elsewhere (another container) holds within
 * `maxAgeMs`; one made here holds on the next event. Bounded (boundedMap).
 */
export const freshForCache = <V>(maxAgeMs: number, now: () => number = Date.now, kept = 500) => {
  const entries = boundedMap<{ value: V; readAt: number }>(kept);
  // Bumped by every forget: a read that began before a write here is used once, not remembered.
  let generation = 0;
  return {
    /** The value read less than `maxAgeMs` ago, else `load()`'s (remembered, found or not). */
    async get(key: readonly unknown[], load: () => Promise<V>): Promise<V> {
      const cached = entries.get(key);
      if (cached && now() - cached.readAt < maxAgeMs) return cached.value;
      const readAt = now();
      const started = generation;
      const value = await load();
      if (started === generation) entries.set(key, { value, readAt });
      return value;
    },
    /** Forgets an entry (a write in this container changed what it holds). */
    forget(key: readonly unknown[]): void {
      generation += 1;
      entries.delete(key);
    },
  };
};
