import { decodeCursor, encodeCursor, type Page } from './query.js';
import { Invalid } from '../domain/errors.js';

/**
 * One page of a small list already read in full and sorted by (`sortKey`, `id`) — e.g. the team
 * spaces of one user, read by key. The cursor names the last item of the page (`{ k, id }`), so a page
 * stays right when items are added or removed between calls; `nextCursor` is there only when another
 * page has items.
 */
export const pageSorted = <T extends { id: string }>(items: readonly T[], sortKey: (item: T) => string, limit: number, cursor?: string): Page<T> => {
  const compare = (a: { k: string; id: string }, b: { k: string; id: string }) => a.k.localeCompare(b.k) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const keyed = items.map((item) => ({ item, key: { k: sortKey(item), id: item.id } })).sort((a, b) => compare(a.key, b.key));
  const after = decodeCursor(cursor);
  if (after && (typeof after.k !== 'string' || typeof after.id !== 'string' || Object.keys(after).length !== 2)) {
    throw new Invalid('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor this API returned' }]);
  }
  const rest = after ? keyed.filter((x) => compare(x.key, after as { k: string; id: string }) > 0) : keyed;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return rest.length > limit && last ? { items: page.map((x) => x.item), nextCursor: encodeCursor(last.key) as string } : { items: page.map((x) => x.item) };
};
