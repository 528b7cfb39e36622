import { parseEntityTagCondition } from './entity-tags.js';
import type { OperationResult } from './operation.js';

/** What a 304 keeps of the 200 it replaces (RFC 9110 §15.4.5): the validators and caching headers, no content headers. */
const NOT_MODIFIED_HEADERS = new Set(['etag', 'cache-control', 'content-location', 'expires', 'vary']);

const headerOf = (headers: Record<string, string> | undefined, name: string): string | undefined =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** Weak comparison (RFC 9110 §8.8.3.2): the opaque parts are equal, whether either tag is weak or not. */
const matchesWeakly = (ifNoneMatch: string, etag: string): boolean => {
  const condition = parseEntityTagCondition(ifNoneMatch, 'If-None-Match');
  if (condition.kind === 'any') return true;
  const current = parseEntityTagCondition(etag, 'If-None-Match');
  if (current.kind !== 'tags' || current.tags.length !== 1) return false;
  return condition.tags.some((tag) => tag.opaque === current.tags[0]!.opaque);
};

/**
 * A GET's 200 becomes 304 Not Modified, with no body, when `If-None-Match` names its ETag (or is `*`):
 * the caller already holds this representation (RFC 9110 §13.1.2). Everything else goes out unchanged,
 * so a refusal or a missing resource is never hidden behind a 304.
 */
export const answerIfNoneMatch = (result: OperationResult, ifNoneMatch: string | undefined): OperationResult => {
  const etag = headerOf(result.headers, 'etag');
  if (ifNoneMatch === undefined || result.status !== 200 || etag === undefined || !matchesWeakly(ifNoneMatch, etag)) return result;
  return { status: 304, headers: Object.fromEntries(Object.entries(result.headers ?? {}).filter(([key]) => NOT_MODIFIED_HEADERS.has(key.toLowerCase()))) };
};
