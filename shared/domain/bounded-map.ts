/**
 * A map bounded to `kept` entries, keyed by a tuple (its parts joined): past `kept`, the least recently
 * set entry is forgotten. The one eviction rule of this container's caches (shared/db/published-cache.ts,
 * shared/domain/records/field-values.ts); forgetting costs a re-read or a rebuild, never a wrong answer.
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
