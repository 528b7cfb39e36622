import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import {
  MyRequestsQuery,
  NotificationPageSchema,
  PageQuery,
  PatchRequestBody,
  QueueQuery,
  RequestFormSchema,
  RequestPageSchema,
  RequestParams,
  RequestSchema,
  SubmitRequestBody,
  TeamModuleParams,
} from './schemas.js';

const common = { area: 'requests', auth: 'jwt', tags: ['Requests'] } as const;

export const requestsRoutes = {
  requestForm: route({ ...common, operationId: 'getRequestForm', method: 'GET', path: '/v1/team-modules/{module}/request-form', summary: 'The fields a requester fills in (requesters and the team)', params: TeamModuleParams, responses: { 200: ok(RequestFormSchema), ...problems(401, 403, 404) } }),
  submitRequest: route({ ...common, operationId: 'submitRequest', method: 'POST', path: '/v1/team-modules/{module}/requests', summary: 'Submit a request (requesters, the team); assigned by the module rules', params: TeamModuleParams, body: SubmitRequestBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(RequestSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
  listModuleRequests: route({ ...common, operationId: 'listModuleRequests', method: 'GET', path: '/v1/team-modules/{module}/requests', summary: "The team's queue of the module's requests, newest first", params: TeamModuleParams, query: QueueQuery, responses: { 200: ok(RequestPageSchema), ...problems(400, 401, 404) } }),
  listMyRequests: route({ ...common, operationId: 'listMyRequests', method: 'GET', path: '/v1/my-requests', summary: 'Requests you submitted, newest first', query: MyRequestsQuery, responses: { 200: ok(RequestPageSchema), ...problems(400, 401) } }),
  getMyRequest: route({ ...common, operationId: 'getMyRequest', method: 'GET', path: '/v1/my-requests/{id}', summary: 'One of your requests, with its status and history', params: RequestParams, responses: { 200: ok(RequestSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  getRequest: route({ ...common, operationId: 'getRequest', method: 'GET', path: '/v1/requests/{id}', summary: 'A request with its history (the team, its requester)', params: RequestParams, responses: { 200: ok(RequestSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  updateRequest: route({ ...common, operationId: 'updateRequest', method: 'PATCH', path: '/v1/requests/{id}', summary: 'Handle a request: status, assignee, comment (the team); honours If-Match', params: RequestParams, body: PatchRequestBody, requestHeaders: ['If-Match'], responses: { 200: ok(RequestSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 409, 412, 423) } }),
  listNotifications: route({ ...common, operationId: 'listNotifications', method: 'GET', path: '/v1/notifications', summary: 'Your in-app notifications, newest first', tags: ['People'], query: PageQuery, responses: { 200: ok(NotificationPageSchema), ...problems(400, 401) } }),
};
