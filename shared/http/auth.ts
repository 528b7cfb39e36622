import type { AuthContext } from '../domain/access/principal.js';

export const ADMIN_GROUP = 'admin';

/** API Gateway v2 flattens array claims to "[a b]"; a local server passes real arrays. Accept both. */
const parseGroups = (raw: unknown): string[] => {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string' || raw.length === 0) return [];
  const trimmed = raw.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        /* fall through to the space/comma separated form */
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
};

export const authFromClaims = (claims: Record<string, unknown> | undefined): AuthContext | null => {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  const groups = parseGroups(claims?.['cognito:groups']);
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  return { userId: sub, ...(email ? { email } : {}), groups, isOrgAdmin: groups.includes(ADMIN_GROUP) };
};
