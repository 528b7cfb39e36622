import type { AppDeps } from '../adapters/deps.js';
import type { ChangeContext, ChangeVia } from '../db/history.js';
import { requireAuth, type OperationRequest } from './operation.js';
import { Invalid } from '../domain/errors.js';

/** The longest reason a caller may give for a change (X-Change-Reason). */
export const MAX_REASON_LENGTH = 500;

/**
 * Who, through which path, why, and the correlation id that ties the resulting events together.
 * A user's own "why" comes in `X-Change-Reason`; automation passes its reason explicitly.
 */
export const changeContext = (req: OperationRequest, deps: AppDeps, via: ChangeVia = 'api', reason?: string): ChangeContext => {
  const given = req.headers['x-change-reason']?.trim();
  if (given && given.length > MAX_REASON_LENGTH) {
    throw new Invalid('Invalid X-Change-Reason', [{ path: 'X-Change-Reason', message: `At most ${MAX_REASON_LENGTH} characters` }]);
  }
  const why = reason ?? (given || undefined);
  const auth = requireAuth(req);
  return {
    actor: auth.userId,
    ...(auth.isOrgAdmin ? { actorIsOrgAdmin: true } : {}),
    via,
    ...(why ? { reason: why } : {}),
    correlationId: req.headers['x-correlation-id'] ?? (req.requestId || deps.newId()),
  };
};

export const etag = (version: number): string => `"${version}"`;
