import { retryProcessRace } from '../../shared/db/lost-race.js';
import { decideReview } from '../../shared/domain/review/engine.js';
import { getReview, listReviewInbox, processHistoryPut, reviewWrites, toReviewView } from '../../shared/db/approvals-repo.js';
import { updateRecord } from '../../shared/db/records-repo.js';
import { changeContext } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { definitionOperations, reviewSpec } from './definitions.js';
import { inboxOwner, readAccess, readAsMember, recordProcessAccess } from './process-access.js';
import { findAsMember } from '../records/record-access.js';
import { processesRoutes } from './routes.js';
import { orThrow } from '../../shared/domain/process/errors.js';

export const reviewProcessOperations = definitionOperations(reviewSpec, {
  create: processesRoutes.createReviewProcess,
  list: processesRoutes.listReviewProcesses,
  get: processesRoutes.getReviewProcess,
  update: processesRoutes.updateReviewProcess,
});

/** The review inbox: pending reviews of the assignee (another user's: org admins only). */
export const listReviewsOperation = implement(processesRoutes.listReviews, async (req, deps) => {
  const page = await readAsMember(req, deps, listReviewInbox(deps, inboxOwner(req, req.query.assignee), req.query.limit, req.query.cursor));
  return json(200, { items: page.items.map(toReviewView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getReviewOperation = implement(processesRoutes.getReview, async (req, deps) => {
  const review = await findAsMember(req, deps, getReview(deps, req.params.id), `No review ${req.params.id}`);
  await readAccess(req, deps, review.module);
  return json(200, toReviewView(review));
});

/**
 * Decide a review.
 * 1. The review (404); in one more round trip the caller (may read its module, else 404), the record
 *    and its process state.
 * 2. The engine: a reviewer (or an org admin for them), else 403; decided already 409; every field
 *    under review accepted, or rejected with a reason, else 422 at `fields.<name>`.
 * 3. One write through the records core as the lock holder: the lock released, the review and its
 *    inbox items, and review.decided in the record's history (the creator is told from it).
 */
export const decideReviewOperation = implement(processesRoutes.decideReview, (req, deps) =>
  // A lost race on the approval or review (another decision, an SLA wake) runs the command again on what won.
  retryProcessRace(async () => {
    const before = await findAsMember(req, deps, getReview(deps, req.params.id), `No review ${req.params.id}`);
    const access = await recordProcessAccess(req, deps, before.module, before.recordId);
    const now = deps.clock().toISOString();
    const after = orThrow(decideReview(before, { userId: access.principal.userId, isOrgAdmin: access.principal.isOrgAdmin }, req.body, now));
    const ctx = changeContext(req, deps, 'review');
    const decisions = Object.fromEntries(Object.entries(after.fields).map(([name, f]) => [name, { accept: f.accept === true, ...(f.reason ? { reason: f.reason } : {}) }]));
    const rejected = Object.entries(decisions).filter(([, d]) => !d.accept).map(([name, d]) => `${name} (${d.reason ?? ''})`);
    await updateRecord(deps, access.module, before.recordId, { fields: {} }, ctx, {
      processes: access.processes,
      ...(access.record ? { current: access.record } : {}),
      channel: { kind: 'lock-holder', lockId: before.id },
      plan: () => ({
        fields: {},
        lock: null,
        items: [
          ...reviewWrites(deps, before, after),
          processHistoryPut(
            deps,
            before.module,
            before.recordId,
            'review.decided',
            { module: before.module, recordId: before.recordId, reviewId: before.id, processId: before.processId, processName: before.processName, createdBy: before.createdBy, status: after.status, decidedBy: access.principal.userId, decisions },
            ctx,
            now,
            { summary: after.status === 'accepted' ? `Review "${before.processName}" accepted` : `Review "${before.processName}" rejected: ${rejected.join('; ')}` },
          ),
        ],
      }),
    });
    return json(200, toReviewView({ ...after, revision: before.revision + 1 }));
  }),
);
