/**
 * Per-container memory of published definition versions (process definitions, wizards, kiosks,
 * journeys, cadences). A published version is written once (`attribute_not_exists`) and never changed,
 * so an entry never goes stale: a new publication is a new key. Bounded: past `kept` entries the oldest
 * is forgotten (a re-read, never a wrong answer).
 */
export const publishedCache = <V>(kept = 500) => {
  const entries = new Map<string, V>();
  return {
    /** The cached value, else `load()`'s (remembered when found). */
    async get(key: readonly unknown[], load: () => Promise<V | undefined>): Promise<V | undefined> {
      const id = key.join('\u0000');
      const cached = entries.get(id);
      if (cached !== undefined) return cached;
      const found = await load();
      if (found !== undefined) {
        if (entries.size >= kept) entries.delete(entries.keys().next().value as string);
        entries.set(id, found);
      }
      return found;
    },
  };
};

/**
 * Per-container hints: what a request needs to name the keys of its one batch before it has read
 * anything (e.g. which module a wizard or a cadence is for), remembered from an earlier read. The batch
 * then reads the truth with them, consistently, and the caller checks the hint against it: a wrong hint
 * (the definition moved to another module since) costs one more batch, never a stale answer, so a hint
 * needs no staleness rule. Bounded like publishedCache.
 */
export const hintCache = <V>(kept = 500) => {
  const entries = new Map<string, V>();
  const idOf = (key: readonly unknown[]) => key.join('\u0000');
  return {
    get: (key: readonly unknown[]): V | undefined => entries.get(idOf(key)),
    set(key: readonly unknown[], value: V): void {
      const id = idOf(key);
      entries.delete(id);
      if (entries.size >= kept) entries.delete(entries.keys().next().value as string);
      entries.set(id, value);
    },
  };
};
