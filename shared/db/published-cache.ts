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
