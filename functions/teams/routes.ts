import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { ModuleSchema, HistoryPageSchema, PageQuery } from '../records/schemas.js';
import {
  AssignmentRulesBody,
  AssignmentRulesViewSchema,
  CreateTeamModuleBody,
  CreateTeamSpaceBody,
  MemberParams,
  MemberSchema,
  RequesterListSchema,
  RequesterParams,
  RequesterSchema,
  SetMemberBody,
  SetTabsBody,
  TeamModuleParams,
  TeamParams,
  TeamSpacePageSchema,
  TeamSpaceSchema,
} from './schemas.js';

const common = { area: 'teams', auth: 'jwt', tags: ['Team spaces'] } as const;

export const teamsRoutes = {
  createTeamSpace: route({ ...common, operationId: 'createTeamSpace', method: 'POST', path: '/v1/team-spaces', summary: 'Create a team space with its first members (org admin)', body: CreateTeamSpaceBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(TeamSpaceSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 409, 422) } }),
  listTeamSpaces: route({ ...common, operationId: 'listTeamSpaces', method: 'GET', path: '/v1/team-spaces', summary: 'Team spaces you belong to (org admins: all)', query: PageQuery, responses: { 200: ok(TeamSpacePageSchema), ...problems(400, 401) } }),
  getTeamSpace: route({ ...common, operationId: 'getTeamSpace', method: 'GET', path: '/v1/team-spaces/{id}', summary: 'A team space: members and tabs', params: TeamParams, responses: { 200: ok(TeamSpaceSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  setTeamTabs: route({ ...common, operationId: 'setTeamTabs', method: 'PUT', path: '/v1/team-spaces/{id}/tabs', summary: "Set the org modules shown as the team's tabs (team admin)", params: TeamParams, body: SetTabsBody, requestHeaders: ['If-Match'], responses: { 200: ok(TeamSpaceSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  teamHistory: route({ ...common, operationId: 'teamHistory', method: 'GET', path: '/v1/team-spaces/{id}/history', summary: 'Permission changes of the team, newest first (team admin, org admin)', params: TeamParams, query: PageQuery, responses: { 200: ok(HistoryPageSchema), ...problems(400, 401, 403, 404) } }),
  setTeamMember: route({ ...common, operationId: 'setTeamMember', method: 'PUT', path: '/v1/team-spaces/{id}/members/{userId}', summary: "Add a member or change their role (team admin, org admin)", params: MemberParams, body: SetMemberBody, responses: { 200: ok(MemberSchema, 'OK', ['ETag']), ...problems(400, 401, 403, 404, 409) } }),
  removeTeamMember: route({ ...common, operationId: 'removeTeamMember', method: 'DELETE', path: '/v1/team-spaces/{id}/members/{userId}', summary: 'Remove a member (team admin, org admin)', params: MemberParams, responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) } }),
  revokeTeamAdmin: route({ ...common, operationId: 'revokeTeamAdmin', method: 'DELETE', path: '/v1/team-spaces/{id}/admins/{userId}', summary: "Take back a team admin's rights (org admin); they stay a member", params: MemberParams, responses: { 200: ok(MemberSchema, 'Revoked', ['ETag']), ...problems(401, 403, 404, 409) } }),
  createTeamModule: route({ ...common, operationId: 'createTeamModule', method: 'POST', path: '/v1/team-spaces/{id}/modules', summary: 'Create a team module with its fields (team admin)', params: TeamParams, body: CreateTeamModuleBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(ModuleSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
  listRequesters: route({ ...common, operationId: 'listRequesters', method: 'GET', path: '/v1/team-modules/{module}/requesters', summary: "A team module's requesters (the team)", params: TeamModuleParams, query: PageQuery, responses: { 200: ok(RequesterListSchema), ...problems(401, 404) } }),
  grantRequester: route({ ...common, operationId: 'grantRequester', method: 'PUT', path: '/v1/team-modules/{module}/requesters/{userId}', summary: 'Make a user a requester of the module (team admin)', params: RequesterParams, responses: { 200: ok(RequesterSchema), ...problems(401, 403, 404) } }),
  revokeRequester: route({ ...common, operationId: 'revokeRequester', method: 'DELETE', path: '/v1/team-modules/{module}/requesters/{userId}', summary: 'Take a requester grant back (team admin)', params: RequesterParams, responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) } }),
  getAssignmentRules: route({ ...common, operationId: 'getAssignmentRules', method: 'GET', path: '/v1/team-modules/{module}/assignment-rules', summary: "Who gets the module's new requests (the team)", params: TeamModuleParams, responses: { 200: ok(AssignmentRulesViewSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  putAssignmentRules: route({ ...common, operationId: 'putAssignmentRules', method: 'PUT', path: '/v1/team-modules/{module}/assignment-rules', summary: 'Set assignment rules: criteria, then round-robin / one user / none (team admin)', params: TeamModuleParams, body: AssignmentRulesBody, requestHeaders: ['If-Match'], responses: { 200: ok(AssignmentRulesViewSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
};
