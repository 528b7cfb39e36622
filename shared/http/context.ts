import type { AppDeps } from '../adapters/deps.js';
import type { Decision } from '../domain/access/principal.js';
import type { ChangeContext, ChangeVia } from '../db/history.js';
import { BadRequest, Forbidden, NotFound } from './errors.js';
import { requireAuth, type OperationRequest } from './operation.js';

/** The longest reason a caller may give for a change (X-Change-Reason). */
export const MAX_REASON_LENGTH = 500;

/**
 * Who, through which path, why, and the correlation id that ties the resulting events together.
 * A user's own "why" comes in `X-Change-Reason`; automation passes its reason explicitly.
 */
export const changeContext = (req: OperationRequest, deps: AppDeps, via: ChangeVia = 'api', reason?: string): ChangeContext => {
  const given = req.headers['x-change-reason']?.trim();
  if (given && given.length > MAX_REASON_LENGTH) {
    throw new BadRequest('Invalid X-Change-Reason', [{ path: 'X-Change-Reason', message: `At most ${MAX_REASON_LENGTH} characters` }]);
  }
  const why = reason ?? (given || undefined);
  return {
    actor: requireAuth(req).userId,
    via,
    ...(why ? { reason: why } : {}),
    correlationId: req.headers['x-correlation-id'] ?? (req.requestId || deps.newId()),
  };
};

/** Enforces an access decision: 403, or 404 where existence must not leak. */
export const enforce = (decision: Decision, notFoundDetail = 'Not found'): void => {
  if (decision.allowed) return;
  if (decision.status === 404) throw new NotFound(notFoundDetail);
  throw new Forbidden(decision.reason);
};

export const etag = (version: number): string => `"${version}"`;
