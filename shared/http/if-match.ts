import type { IfMatch } from '../domain/version-precondition.js';
import { parseEntityTagCondition } from './entity-tags.js';

/* Parses `If-Match` into the domain's version precondition (shared/domain/version-precondition.ts). */

/** `If-Match` → its precondition; absent → undefined; malformed (an unquoted `1` too) → 400 naming the header. */
export const parseIfMatch = (header: string | undefined): IfMatch | undefined => {
  if (header === undefined) return undefined;
  const condition = parseEntityTagCondition(header, 'If-Match');
  if (condition.kind === 'any') return condition;
  const versions = condition.tags.filter((tag) => !tag.weak && /^\d{1,15}$/.test(tag.opaque)).map((tag) => Number(tag.opaque));
  return { kind: 'tags', versions };
};
