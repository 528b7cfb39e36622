import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring unsubscribe tokens (RFC 8058 links): `base64url(payload).base64url(HMAC-SHA256)`.
 * The payload names the enrollment and the address; anyone holding the link may unsubscribe that
 * address (as with every List-Unsubscribe link), nobody can forge one for another address.
 */
export interface UnsubscribePayload {
  /** Cadence id. */
  c: string;
  /** Record id. */
  r: string;
  /** Enrollment id. */
  e: string;
  /** The address the email went to. */
  a: string;
  /** Expiry, seconds since the epoch. */
  x: number;
}

/** How long an unsubscribe link works (mail is read and acted on long after it is sent). */
export const UNSUBSCRIBE_TOKEN_DAYS = 90;

export type TokenError = 'malformed' | 'badSignature' | 'expired';

const sign = (key: Uint8Array, body: string): Buffer => createHmac('sha256', key).update(body).digest();

export const signUnsubscribeToken = (key: Uint8Array, payload: Omit<UnsubscribePayload, 'x'>, now: Date, days = UNSUBSCRIBE_TOKEN_DAYS): string => {
  const full: UnsubscribePayload = { ...payload, x: Math.floor(now.getTime() / 1000) + days * 86_400 };
  const body = Buffer.from(JSON.stringify(full), 'utf8').toString('base64url');
  return `${body}.${sign(key, body).toString('base64url')}`;
};

/** The payload of a genuine, unexpired token, or why it is refused. */
export const verifyUnsubscribeToken = (key: Uint8Array, token: string, now: Date): { ok: true; payload: UnsubscribePayload } | { ok: false; error: TokenError } => {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return { ok: false, error: 'malformed' };
  const expected = sign(key, parts[0]);
  const given = Buffer.from(parts[1], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'badSignature' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  const p = payload as Partial<UnsubscribePayload>;
  if (typeof p !== 'object' || p === null || typeof p.c !== 'string' || typeof p.r !== 'string' || typeof p.e !== 'string' || typeof p.a !== 'string' || typeof p.x !== 'number') {
    return { ok: false, error: 'malformed' };
  }
  if (p.x * 1000 <= now.getTime()) return { ok: false, error: 'expired' };
  return { ok: true, payload: p as UnsubscribePayload };
};
