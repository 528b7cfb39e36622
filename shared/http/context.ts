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

/**
 * The context of a direct record write (POST or PATCH of a record): the one path where an org admin's
 * X-Change-Reason is also the intent to override a governed field. Every other path (kiosk, wizard,
 * rules, journeys, conversion, migration, requests) takes `changeContext`, whose reason is only a note.
 */
export const directRecordWriteContext = (req: OperationRequest, deps: AppDeps): ChangeContext => {
  const ctx = changeContext(req, deps);
  return ctx.actorIsOrgAdmin && req.headers['x-change-reason']?.trim() ? { ...ctx, override: true } : ctx;
};

export const etag = (version: number): string => `"${version}"`;
