import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { PageQuery } from '../records/schemas.js';
import { CreateUserBody, MeSchema, PatchUserBody, UserPageSchema, UserParams, UserViewSchema } from './schemas.js';

const common = { area: 'users', auth: 'jwt', tags: ['People'] } as const;

export const usersRoutes = {
  me: route({ ...common, operationId: 'getMe', method: 'GET', path: '/v1/me', summary: 'The caller: profile, org role, teams and requester grants', responses: { 200: ok(MeSchema), ...problems(401) } }),
  listUsers: route({ ...common, operationId: 'listUsers', method: 'GET', path: '/v1/users', summary: 'The users directory', query: PageQuery, responses: { 200: ok(UserPageSchema), ...problems(400, 401, 403) } }),
  createUser: route({ ...common, operationId: 'createUser', method: 'POST', path: '/v1/users', summary: 'Add a user to the directory (org admin)', body: CreateUserBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(UserViewSchema, 'Created', ['ETag']), ...problems(400, 401, 403, 409) } }),
  getUser: route({ ...common, operationId: 'getUser', method: 'GET', path: '/v1/users/{id}', summary: 'One user', params: UserParams, responses: { 200: ok(UserViewSchema, 'OK', ['ETag']), ...problems(401, 403, 404) } }),
  patchUser: route({ ...common, operationId: 'patchUser', method: 'PATCH', path: '/v1/users/{id}', summary: 'Change a user: name, email, org role, manager (org admin)', params: UserParams, body: PatchUserBody, requestHeaders: ['If-Match'], responses: { 200: ok(UserViewSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
};
