import { decideRequestUpdate, HANDLING_ROLES } from '../../shared/domain/access/index.js';
import { REQUEST_FIELD } from '../../shared/domain/teams/requests.js';
import { changeRequest } from '../../shared/db/request-writes.js';
import { teamKeys } from '../../shared/db/keys.js';
import { readRequestPartition, REQUEST_HISTORY_SHOWN, toRequestHistoryView, toRequestView } from '../../shared/db/requests-repo.js';
import type { MemberItem } from '../../shared/db/teams-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json } from '../../shared/http/operation.js';
import { loadRequest } from './request-access.js';
import { requestsRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { versionGuard } from '../../shared/domain/version-precondition.js';
import { Invalid } from '../../shared/domain/errors.js';

/**
 * Handle a request (team side): status, assignee, comment; in 2 round trips (3 for a request whose id
 * names no module, or whose history outgrew its copy: request-access.ts).
 * 1. In one BatchGetItem the request's locator and history copy, the caller (grants read consistently),
 *    the module, the record, its process state and, for a new assignee, their membership. The access rules decide on what is asked (admins and managers anything; a member their
 *    own requests or taking an unassigned one; participants comment; the requester 403; anyone else
 *    404) — asked again on the record as it is when written.
 * 2. A new assignee must be an admin, manager or member of the team (400).
 * 3. One transaction on the record's version (If-Match → 412): status/assignee fields (the owner
 *    follows the assignee), record.updated, the locator, and request.status-changed / assigned /
 *    commented, and their copy. The status change reaches the requester through the notify-requester consumer.
 * 4. The answer is the request as written: the history read in step 1 and the entries this change
 *    added (after a lost race, when others wrote in between, the history is read again).
 */
export const updateRequestOperation = implement(requestsRoutes.updateRequest, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const newAssignee = typeof req.body.assigneeId === 'string' ? req.body.assigneeId : undefined;
  const loaded = await loadRequest(req, deps, req.params.id, ({ teamId }) => (newAssignee ? [teamKeys.memberKey(teamId, newAssignee)] : []));
  const { principal, module, locator, record, processes, historyCopy } = loaded;
  const change = { status: req.body.status !== undefined, ...(req.body.assigneeId !== undefined ? { assigneeId: req.body.assigneeId } : {}), comment: req.body.comment !== undefined };
  const notFound = `No request ${req.params.id}`;
  const decide = (assigneeId: unknown) => enforce(decideRequestUpdate(principal, module, { requesterId: locator.requesterId, ...(typeof assigneeId === 'string' ? { assigneeId } : {}) }, change), notFound);
  decide(record.fields[REQUEST_FIELD.assignee]);
  if (newAssignee) {
    // Its membership in the request's team (the locator's team is the module's: both fixed at creation).
    const member = loaded.extra[0] as unknown as MemberItem | undefined;
    if (!member || !HANDLING_ROLES.includes(member.role)) throw new Invalid('Invalid assignee', [{ path: 'assigneeId', message: 'Not an admin, manager or member of the team' }]);
  }
  const changed = await changeRequest(
    deps,
    module,
    locator,
    { ...(req.body.status ? { status: req.body.status } : {}), ...(req.body.assigneeId !== undefined ? { assigneeId: req.body.assigneeId } : {}), ...(req.body.comment ? { comment: req.body.comment } : {}) },
    changeContext(req, deps, 'team'),
    { ...versionGuard(ifMatch, (current) => decide(current.fields[REQUEST_FIELD.assignee])), current: record, ...(processes ? { processes } : {}), ...(historyCopy ? { historyCopy } : {}) },
  );
  const othersWrote = changed.record.version > record.version + 1;
  const history = othersWrote ? (await readRequestPartition(deps, locator.id)).history : [...loaded.history, ...changed.entries.map(toRequestHistoryView)].slice(-REQUEST_HISTORY_SHOWN);
  return json(200, toRequestView(changed.record, changed.locator, history), { ETag: etag(changed.record.version) });
});
