import { decideRequestQueue, decideRequestRead, decideRequestSubmit } from '../../shared/domain/access/index.js';
import { requestFormFields } from '../../shared/domain/teams/requests.js';
import { listModuleRequests, listRequesterRequests, toRequestView } from '../../shared/db/requests-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { etag } from '../../shared/http/context.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { loadTeamModule } from '../teams/team-access.js';
import { loadRequest, viewsOf } from './request-access.js';
import { requestsRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';

/** The form a requester fills in: the module's own, writable fields (requesters and the team). */
export const requestFormOperation = implement(requestsRoutes.requestForm, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideRequestSubmit(principal, module), `No team module ${module.name}`);
  return json(200, { module: module.name, label: module.label, fields: requestFormFields(module.fields) });
});

/** The team's queue (everyone in the team; requesters 404): newest first, by status and assignee. */
export const listModuleRequestsOperation = implement(requestsRoutes.listModuleRequests, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideRequestQueue(principal, module), `No team module ${module.name}`);
  const assigneeId = req.query.assignee === 'me' ? principal.userId : req.query.assignee;
  const page = await listModuleRequests(deps, module.name, {
    limit: req.query.limit,
    ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    ...(req.query.status ? { status: req.query.status } : {}),
    ...(assigneeId ? { assigneeId } : {}),
  });
  return json(200, { items: await viewsOf(deps, page.items), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/** My Requests: what the caller submitted, across team modules (their own only, by construction). */
export const listMyRequestsOperation = implement(requestsRoutes.listMyRequests, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  const page = await listRequesterRequests(deps, principal.userId, {
    limit: req.query.limit,
    ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    ...(req.query.status ? { status: req.query.status } : {}),
  });
  return json(200, { items: await viewsOf(deps, page.items), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/** One of the caller's requests with its status and history; anybody else's is 404 here. */
export const getMyRequestOperation = implement(requestsRoutes.getMyRequest, async (req, deps) => {
  const { principal, record, locator, history } = await loadRequest(req, deps, req.params.id);
  if (locator.requesterId !== principal.userId) throw new NotFound(`No request ${req.params.id}`);
  return json(200, toRequestView(record, locator, history), { ETag: etag(record.version) });
});

/** A request with its history: the team (every role), its requester and org admins; others 404. */
export const getRequestOperation = implement(requestsRoutes.getRequest, async (req, deps) => {
  const { principal, module, record, locator, history } = await loadRequest(req, deps, req.params.id);
  enforce(decideRequestRead(principal, module, locator), `No request ${req.params.id}`);
  return json(200, toRequestView(record, locator, history), { ETag: etag(record.version) });
});
