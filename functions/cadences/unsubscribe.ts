import type { AppDeps } from '../../shared/adapters/deps.js';
import { requireCadencePorts } from '../../shared/config/cadence.js';
import { escapeHtml } from '../../shared/domain/cadence/template.js';
import { verifyUnsubscribeToken, type UnsubscribePayload } from '../../shared/domain/cadence/unsubscribe-token.js';
import { unenrollWrite, updateEnrollmentWithRetry } from '../../shared/db/enrollments-repo.js';
import { suppressionPut } from '../../shared/db/suppression-repo.js';
import { transactWrite } from '../../shared/db/transact.js';
import { implement, json } from '../../shared/http/operation.js';
import { cadencesRoutes } from './routes.js';
import { Invalid } from '../../shared/domain/errors.js';

const TOKEN_MESSAGES = { malformed: 'Not an unsubscribe token', badSignature: 'The token was altered', expired: 'The link has expired' } as const;

const verified = async (deps: AppDeps, token: string): Promise<UnsubscribePayload> => {
  const result = verifyUnsubscribeToken(await requireCadencePorts(deps.cadence).unsubscribeKey(), token, deps.clock());
  if (!result.ok) throw new Invalid('Invalid unsubscribe link', [{ path: 'token', message: TOKEN_MESSAGES[result.error] }]);
  return result.payload;
};

/**
 * Unsubscribes an address (from the email's link or a reply to the unsubscribe mailto).
 * 1. Suppress the address (nothing more is sent to it by any cadence; the first reason is kept).
 * 2. End the enrollment the email belonged to (reason unsubscribed, when), if it is still running.
 * Repeating it changes nothing.
 */
export const unsubscribe = async (deps: AppDeps, payload: Pick<UnsubscribePayload, 'c' | 'r' | 'e' | 'a'>): Promise<void> => {
  await transactWrite(deps, [suppressionPut(deps, payload.a, 'unsubscribed', { cadenceId: payload.c, recordId: payload.r })]);
  const ctx = { actor: 'system', via: 'cadence' as const, reason: 'The recipient unsubscribed', correlationId: payload.e };
  await updateEnrollmentWithRetry(deps, payload.c, payload.r, (e) =>
    e.enrollmentId === payload.e && (e.status === 'active' || e.status === 'paused') ? unenrollWrite(deps, e, 'unsubscribed', ctx) : undefined,
  );
};

/**
 * GET (a person following the link): a page that confirms with a one-click POST. GET itself changes
 * nothing, since mail scanners follow links (RFC 8058). A tampered or expired token is a 400.
 */
export const unsubscribeGetOperation = implement(cadencesRoutes.unsubscribeGet, async (req, deps) => {
  const payload = await verified(deps, req.query.token);
  const action = `?token=${encodeURIComponent(req.query.token)}`;
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head><body><p>Stop cadence emails to ${escapeHtml(payload.a)}?</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form></body></html>`;
  return { status: 200, text: page, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
});

/**
 * POST (RFC 8058 one-click, from the mail client, or the confirmation page).
 * 1. The body is the form `List-Unsubscribe=One-Click` (another media type: 415; another value: 400).
 * 2. The token must be genuine and unexpired (400).
 * 3. Unsubscribe: suppress the address and end the enrollment.
 */
export const unsubscribePostOperation = implement(cadencesRoutes.unsubscribePost, async (req, deps) => {
  const payload = await verified(deps, req.query.token);
  await unsubscribe(deps, payload);
  return json(200, { unsubscribed: true, address: payload.a });
});
