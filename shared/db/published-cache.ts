/**
 * Per-container memory of published definition versions (process definitions, wizards, kiosks,
 * journeys, cadences). A published version is written once (`attribute_not_exists`) and never changed,
 * so an entry never goes stale: a new publication is a new key. Bounded: past `kept` entries the oldest
 * is forgotten (a re-read, never a wrong answer).
 */
export const publishedCache = <V>(kept = 500) => {
  const entries = new Map<string, V>();
  const idOf = (key: readonly unknown[]) => key.join('\u0000');
  const remember = (id: string, value: V) => {
    if (entries.size >= kept && !entries.has(id)) entries.delete(entries.keys().next().value as string);
    entries.set(id, value);
  };
  return {
    /** The cached value, without loading (e.g. to decide what a batch read must include). */
    peek(key: readonly unknown[]): V | undefined {
      return entries.get(idOf(key));
    },
    /** Remembers a value read elsewhere (e.g. in a request's batch). */
    remember(key: readonly unknown[], value: V): void {
      remember(idOf(key), value);
    },
    /** The cached value, else `load()`'s (remembered when found). */
    async get(key: readonly unknown[], load: () => Promise<V | undefined>): Promise<V | undefined> {
      const id = idOf(key);
      const cached = entries.get(id);
      if (cached !== undefined) return cached;
      const found = await load();
      if (found !== undefined) remember(id, found);
      return found;
    },
  };
};
