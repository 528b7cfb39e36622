import { StaleVersion } from './errors.js';

/**
 * The version precondition a caller sets (over HTTP, the `If-Match` header, RFC 9110 §13.1.1): `*`
 * (any current representation), or a list of entity tags compared strongly. Our ETags are
 * `"<version>"`, so only the strong tags that hold a version can ever match; a weak tag (`W/"1"`) or an
 * opaque one (`"abc"`) never does.
 */
export type IfMatch = { kind: 'any' } | { kind: 'tags'; versions: number[] };

/** Does the precondition hold for a resource at this version? (No header: always.) */
export const ifMatchAllows = (ifMatch: IfMatch | undefined, version: number): boolean =>
  ifMatch === undefined || ifMatch.kind === 'any' || ifMatch.versions.includes(version);

/** StaleVersion unless the precondition holds for this version. */
export const assertIfMatch = (ifMatch: IfMatch | undefined, version: number): void => {
  if (!ifMatchAllows(ifMatch, version)) throw new StaleVersion();
};

/**
 * Options for a conditional write that reads, checks and retries on a lost race: one strong tag pins
 * the version (a lost race is then StaleVersion); any other precondition is checked against each version
 * read, after the caller's own check (so an access refusal is never hidden behind a stale version).
 */
export const versionGuard = <T extends { version: number }>(
  ifMatch: IfMatch | undefined,
  check?: (current: T) => void | Promise<void>,
): { expectedVersion?: number; check: (current: T) => Promise<void> } => {
  const pinned = ifMatch?.kind === 'tags' && ifMatch.versions.length === 1 ? ifMatch.versions[0] : undefined;
  return {
    ...(pinned !== undefined ? { expectedVersion: pinned } : {}),
    check: async (current) => {
      await check?.(current);
      assertIfMatch(ifMatch, current.version);
    },
  };
};
