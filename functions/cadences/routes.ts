import * as z from 'zod';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { FORM_MEDIA_TYPE } from '../../shared/http/media-types.js';
import { route } from '../../shared/http/route-spec.js';
import {
  CadenceBody,
  CadenceEditBody,
  CadencePageSchema,
  CadenceParams,
  CadenceSchema,
  EnrollBody,
  EnrollmentPageSchema,
  EnrollmentParams,
  EnrollmentSchema,
  EnrollResultSchema,
  ListEnrollmentsQuery,
  PageQuery,
  ReportSchema,
} from './schemas.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const common = { area: 'cadences', auth: 'jwt', tags: ['Cadences'] } as const;

export const UnsubscribeQuery = lazySchema(() => z.object({ token: z.string().min(1).max(2048) }));
/** RFC 8058: the one-click POST's form body. */
export const OneClickBody = lazySchema(() => z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') }).meta({ id: 'OneClickUnsubscribe' }));
export const UnsubscribeResultSchema = lazySchema(() => z.object({ unsubscribed: z.literal(true), address: z.string() }).meta({ id: 'UnsubscribeResult' }));

export const cadencesRoutes = {
  createCadence: route({ ...common, operationId: 'createCadence', method: 'POST', path: '/v1/cadences', summary: 'Define a cadence (org admin); it starts inactive', body: CadenceBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(CadenceSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404) } }),
  listCadences: route({ ...common, operationId: 'listCadences', method: 'GET', path: '/v1/cadences', summary: 'Cadences, by name', query: PageQuery, responses: { 200: ok(CadencePageSchema), ...problems(400, 401, 404) } }),
  getCadence: route({ ...common, operationId: 'getCadence', method: 'GET', path: '/v1/cadences/{id}', summary: 'A cadence: its current definition and version', params: CadenceParams, responses: { 200: ok(CadenceSchema, 'OK', ['ETag']), ...problems(400, 401, 404) } }),
  putCadence: route({ ...common, operationId: 'putCadence', method: 'PUT', path: '/v1/cadences/{id}', summary: 'Edit a cadence: creates a new version; enrollments in flight keep theirs (org admin)', params: CadenceParams, body: CadenceEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(CadenceSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 409, 412) } }),
  activateCadence: route({ ...common, operationId: 'activateCadence', method: 'POST', path: '/v1/cadences/{id}/activate', summary: 'Start enrolling and sending; paused enrollments resume (org admin)', params: CadenceParams, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(CadenceSchema, 'Active', ['ETag']), ...problems(401, 403, 404, 409) } }),
  deactivateCadence: route({ ...common, operationId: 'deactivateCadence', method: 'POST', path: '/v1/cadences/{id}/deactivate', summary: 'Stop: every active enrollment is paused and nothing is sent (org admin)', params: CadenceParams, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(CadenceSchema, 'Inactive', ['ETag']), ...problems(401, 403, 404, 409) } }),
  enroll: route({ ...common, operationId: 'enrollRecords', method: 'POST', path: '/v1/cadences/{id}/enrollments', summary: 'Enroll records you may update; each gets an outcome (already enrolled is not an error)', params: CadenceParams, body: EnrollBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(EnrollResultSchema), ...problems(400, 401, 404, 409) } }),
  unenroll: route({ ...common, operationId: 'unenrollRecord', method: 'DELETE', path: '/v1/cadences/{id}/enrollments/{recordId}', summary: 'Take a record out of the cadence (reason manual)', params: EnrollmentParams, responses: { 200: ok(EnrollmentSchema), ...problems(400, 401, 403, 404) } }),
  listEnrollments: route({ ...common, operationId: 'listEnrollments', method: 'GET', path: '/v1/cadences/{id}/enrollments', summary: 'Enrollments of a cadence, optionally by status', params: CadenceParams, query: ListEnrollmentsQuery, responses: { 200: ok(EnrollmentPageSchema), ...problems(400, 401, 404) } }),
  getEnrollment: route({ ...common, operationId: 'getEnrollment', method: 'GET', path: '/v1/cadences/{id}/enrollments/{recordId}', summary: "A record's enrollment: status, why and when it ended, its steps", params: EnrollmentParams, responses: { 200: ok(EnrollmentSchema), ...problems(400, 401, 404) } }),
  report: route({ ...common, operationId: 'cadenceReport', method: 'GET', path: '/v1/cadences/{id}/report', summary: 'Enrollments by status, per-step email counts, unenroll reasons (counters kept with each event)', params: CadenceParams, responses: { 200: ok(ReportSchema), ...problems(400, 401, 404) } }),
  unsubscribeGet: route({ area: 'cadences', auth: 'public', tags: ['Cadences'], operationId: 'unsubscribeGet', method: 'GET', path: '/v1/public/unsubscribe', summary: 'The page behind the unsubscribe link: confirms with a one-click POST (GET itself changes nothing); a tampered or expired token is 400', query: UnsubscribeQuery, responses: { 200: { description: 'An HTML confirmation page', contentType: 'text/html' }, ...problems(400) } }),
  unsubscribePost: route({ area: 'cadences', auth: 'public', tags: ['Cadences'], operationId: 'unsubscribePost', method: 'POST', path: '/v1/public/unsubscribe', summary: 'RFC 8058 one-click unsubscribe: form body List-Unsubscribe=One-Click', query: UnsubscribeQuery, body: OneClickBody, requestContentTypes: [FORM_MEDIA_TYPE], responses: { 200: ok(UnsubscribeResultSchema), ...problems(400, 415) } }),
};
