import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { RecordSchema } from '../records/schemas.js';
import {
  ApprovalActionBody,
  ApprovalActionParams,
  ApprovalPageSchema,
  ApprovalProcessDefinitionSchema,
  ApprovalProcessEditBody,
  ApprovalProcessPageSchema,
  ApprovalProcessViewSchema,
  ApprovalListSchema,
  ApprovalSchema,
  BlueprintDefinitionSchema,
  BlueprintEditBody,
  BlueprintPageSchema,
  BlueprintViewSchema,
  DefinitionListQuery,
  IdParams,
  InboxQuery,
  MigrateBody,
  MigrationResultSchema,
  RecordParams,
  ReviewDecisionBodySchema,
  ReviewPageSchema,
  ReviewProcessDefinitionSchema,
  ReviewProcessEditBody,
  ReviewProcessPageSchema,
  ReviewProcessViewSchema,
  ReviewSchema,
  SubmitForApprovalBody,
  TransitionBody,
  TransitionListSchema,
  TransitionParams,
} from './schemas.js';

const common = { area: 'processes', auth: 'jwt' } as const;
const bp = { ...common, tags: ['Blueprints'] } as const;
const ap = { ...common, tags: ['Approvals'] } as const;
const rv = { ...common, tags: ['Reviews'] } as const;

export const processesRoutes = {
  createBlueprint: route({ ...bp, operationId: 'createBlueprint', method: 'POST', path: '/v1/blueprints', summary: 'Create a blueprint draft (org admin; team admin on their team modules)', body: BlueprintDefinitionSchema, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(BlueprintViewSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
  listBlueprints: route({ ...bp, operationId: 'listBlueprints', method: 'GET', path: '/v1/blueprints', summary: 'Blueprints of the modules you may see', query: DefinitionListQuery, responses: { 200: ok(BlueprintPageSchema), ...problems(400, 401) } }),
  getBlueprint: route({ ...bp, operationId: 'getBlueprint', method: 'GET', path: '/v1/blueprints/{id}', summary: 'A blueprint: draft, revision and published version', params: IdParams, responses: { 200: ok(BlueprintViewSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  updateBlueprint: route({ ...bp, operationId: 'updateBlueprint', method: 'PUT', path: '/v1/blueprints/{id}', summary: 'Replace the draft (honours If-Match on the revision)', params: IdParams, body: BlueprintEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(BlueprintViewSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  publishBlueprint: route({ ...bp, operationId: 'publishBlueprint', method: 'POST', path: '/v1/blueprints/{id}/publish', summary: 'Publish the draft as the next version; records in flight keep theirs', params: IdParams, requestHeaders: ['Idempotency-Key', 'If-Match'], responses: { 200: ok(BlueprintViewSchema, 'Published', ['ETag']), ...problems(400, 401, 403, 404, 409, 412) } }),
  migrateBlueprint: route({ ...bp, operationId: 'migrateBlueprint', method: 'POST', path: '/v1/blueprints/{id}/migrations', summary: 'Move records running on older versions to a published version, mapping their states (one page per call)', params: IdParams, body: MigrateBody, responses: { 200: ok(MigrationResultSchema), ...problems(400, 401, 403, 404) } }),
  listTransitions: route({ ...bp, operationId: 'listTransitions', method: 'GET', path: '/v1/records/{module}/{id}/transitions', summary: 'The transitions you may perform on this record now, with the fields each asks for', params: RecordParams, responses: { 200: ok(TransitionListSchema), ...problems(401, 403, 404) } }),
  performTransition: route({ ...bp, operationId: 'performTransition', method: 'POST', path: '/v1/records/{module}/{id}/transitions/{transitionId}', summary: 'Perform a transition (422 names each missing or invalid field; 409 when the record left its state)', params: TransitionParams, body: TransitionBody, requestHeaders: ['Idempotency-Key', 'If-Match'], responses: { 200: ok(RecordSchema, 'Performed', ['ETag']), ...problems(400, 401, 403, 404, 409, 412, 422, 423) } }),

  createApprovalProcess: route({ ...ap, operationId: 'createApprovalProcess', method: 'POST', path: '/v1/approval-processes', summary: 'Create an approval process; it acts from the next write (org admin; team admin on their team modules)', body: ApprovalProcessDefinitionSchema, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(ApprovalProcessViewSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 412) } }),
  listApprovalProcesses: route({ ...ap, operationId: 'listApprovalProcesses', method: 'GET', path: '/v1/approval-processes', summary: 'Approval processes of the modules you may see', query: DefinitionListQuery, responses: { 200: ok(ApprovalProcessPageSchema), ...problems(400, 401) } }),
  getApprovalProcess: route({ ...ap, operationId: 'getApprovalProcess', method: 'GET', path: '/v1/approval-processes/{id}', summary: 'An approval process', params: IdParams, responses: { 200: ok(ApprovalProcessViewSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  updateApprovalProcess: route({ ...ap, operationId: 'updateApprovalProcess', method: 'PUT', path: '/v1/approval-processes/{id}', summary: 'Replace an approval process (a new version; approvals in flight keep theirs)', params: IdParams, body: ApprovalProcessEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(ApprovalProcessViewSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  listApprovals: route({ ...ap, operationId: 'listApprovals', method: 'GET', path: '/v1/approvals', summary: 'Approval inbox: pending approvals that the assignee may decide now (assignee=me; org admins and managers may name a user)', query: InboxQuery, responses: { 200: ok(ApprovalPageSchema), ...problems(400, 401, 403) } }),
  getApproval: route({ ...ap, operationId: 'getApproval', method: 'GET', path: '/v1/approvals/{id}', summary: 'An approval with its history', params: IdParams, responses: { 200: ok(ApprovalSchema), ...problems(401, 404) } }),
  actOnApproval: route({ ...ap, operationId: 'actOnApproval', method: 'POST', path: '/v1/approvals/{id}/{action}', summary: 'approve | reject (comment required) | delegate (toUserId) | recall (the submitter)', params: ApprovalActionParams, body: ApprovalActionBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(ApprovalSchema), ...problems(400, 401, 403, 404, 409, 422) } }),
  submitForApproval: route({ ...ap, operationId: 'submitForApproval', method: 'POST', path: '/v1/records/{module}/{id}/submit-for-approval', summary: 'Submit a record to a manual approval process, or resubmit it after a rejection or recall', params: RecordParams, body: SubmitForApprovalBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(ApprovalSchema, 'Submitted'), ...problems(400, 401, 403, 404, 409, 422, 423) } }),
  recordApprovals: route({ ...ap, operationId: 'recordApprovals', method: 'GET', path: '/v1/records/{module}/{id}/approvals', summary: "A record's approval runs, oldest first", params: RecordParams, responses: { 200: ok(ApprovalListSchema), ...problems(401, 403, 404) } }),

  createReviewProcess: route({ ...rv, operationId: 'createReviewProcess', method: 'POST', path: '/v1/review-processes', summary: 'Create a review process (org admin; team admin on their team modules)', body: ReviewProcessDefinitionSchema, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(ReviewProcessViewSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 412) } }),
  listReviewProcesses: route({ ...rv, operationId: 'listReviewProcesses', method: 'GET', path: '/v1/review-processes', summary: 'Review processes of the modules you may see', query: DefinitionListQuery, responses: { 200: ok(ReviewProcessPageSchema), ...problems(400, 401) } }),
  getReviewProcess: route({ ...rv, operationId: 'getReviewProcess', method: 'GET', path: '/v1/review-processes/{id}', summary: 'A review process', params: IdParams, responses: { 200: ok(ReviewProcessViewSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  updateReviewProcess: route({ ...rv, operationId: 'updateReviewProcess', method: 'PUT', path: '/v1/review-processes/{id}', summary: 'Replace a review process (a new version)', params: IdParams, body: ReviewProcessEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(ReviewProcessViewSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  listReviews: route({ ...rv, operationId: 'listReviews', method: 'GET', path: '/v1/reviews', summary: 'Review inbox: pending reviews of the assignee', query: InboxQuery, responses: { 200: ok(ReviewPageSchema), ...problems(400, 401, 403) } }),
  getReview: route({ ...rv, operationId: 'getReview', method: 'GET', path: '/v1/reviews/{id}', summary: 'A review with its log of decisions', params: IdParams, responses: { 200: ok(ReviewSchema), ...problems(401, 404) } }),
  decideReview: route({ ...rv, operationId: 'decideReview', method: 'POST', path: '/v1/reviews/{id}/decision', summary: 'Accept or reject (with a reason) each field under review; unlocks the record', params: IdParams, body: ReviewDecisionBodySchema, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(ReviewSchema), ...problems(400, 401, 403, 404, 409, 422) } }),
};
