import { decideOpsAdmin } from '../../shared/domain/access/index.js';
import { claimReplay, getDeadLetter, listDeadLetters, recordReplayOutcome, requireDeadLetter, toDeadLetterView } from '../../shared/db/dead-letters-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { etag } from '../../shared/http/context.js';
import { HttpError } from '../../shared/http/errors.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { adminRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';

/** Dead letters, newest failure first, optionally of one status (org admin). */
export const listDeadLettersOperation = implement(adminRoutes.listDeadLetters, async (req, deps) => {
  enforce(decideOpsAdmin(await loadPrincipal(deps, requireAuth(req))));
  const page = await listDeadLetters(deps, { limit: req.query.limit, ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
  return json(200, { items: page.items.map(toDeadLetterView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getDeadLetterOperation = implement(adminRoutes.getDeadLetter, async (req, deps) => {
  enforce(decideOpsAdmin(await loadPrincipal(deps, requireAuth(req))));
  const letter = await requireDeadLetter(deps, req.params.id);
  return json(200, toDeadLetterView(letter), { ETag: etag(letter.version) });
});

/**
 * Replays a dead letter to its one target (org admin).
 * Steps: check access → load (404) → claim it as `replaying` at the version read (409 if replayed,
 * already replaying, or changed meanwhile) → hand the event back through the DeadLetterReplayer port
 * (local: the router, which delivers and records the outcome; AWS: PutEvents, the consumer records
 * the outcome) → a refused hand-back marks it failed → answer 202 with the dead letter as it now is.
 */
export const replayDeadLetterOperation = implement(adminRoutes.replayDeadLetter, async (req, deps) => {
  const auth = requireAuth(req);
  enforce(decideOpsAdmin(await loadPrincipal(deps, auth)));
  const current = await requireDeadLetter(deps, req.params.id);
  const replayer = deps.deadLetterReplayer;
  if (!replayer) throw new HttpError(503, 'Service Unavailable', 'Event replay is not available: no event router or bus is configured');
  const claimed = await claimReplay(deps, current, auth.userId);
  try {
    await replayer.replay(claimed);
  } catch (error) {
    await recordReplayOutcome(deps, claimed.id, { ok: false, error, attempts: 0 });
  }
  const letter = (await getDeadLetter(deps, claimed.id)) ?? claimed;
  return json(202, toDeadLetterView(letter), { ETag: etag(letter.version) });
});
