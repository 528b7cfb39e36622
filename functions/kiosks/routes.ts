import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { KioskDefinitionSchema } from '../../shared/domain/kiosk/definition.js';
import { PageQuery } from '../records/schemas.js';
import { KioskEditBody, KioskPageSchema, KioskParams, KioskRunSchema, KioskSchema, RunParams, SubmitKioskScreenBody } from './schemas.js';

const common = { area: 'kiosks', auth: 'jwt', tags: ['Kiosks'] } as const;

export const kiosksRoutes = {
  createKiosk: route({ ...common, operationId: 'createKiosk', method: 'POST', path: '/v1/kiosks', summary: 'Define a kiosk (org admin)', body: KioskDefinitionSchema, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(KioskSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 409, 422) } }),
  listKiosks: route({ ...common, operationId: 'listKiosks', method: 'GET', path: '/v1/kiosks', summary: 'Kiosks you may run', query: PageQuery, responses: { 200: ok(KioskPageSchema), ...problems(400, 401) } }),
  getKiosk: route({ ...common, operationId: 'getKiosk', method: 'GET', path: '/v1/kiosks/{id}', summary: 'A kiosk you may run, and its current version', params: KioskParams, responses: { 200: ok(KioskSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  putKiosk: route({ ...common, operationId: 'putKiosk', method: 'PUT', path: '/v1/kiosks/{id}', summary: 'Save a new version (runs in flight keep theirs)', params: KioskParams, body: KioskEditBody, requestHeaders: ['If-Match'], responses: { 200: ok(KioskSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  startRun: route({ ...common, operationId: 'startKioskRun', method: 'POST', path: '/v1/kiosks/{id}/runs', summary: 'Start a run: its first screen', params: KioskParams, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(KioskRunSchema, 'Started', ['Location']), ...problems(401, 404, 409, 422) } }),
  getRun: route({ ...common, operationId: 'getKioskRun', method: 'GET', path: '/v1/kiosk-runs/{runId}', summary: 'Your run as it stands', params: RunParams, responses: { 200: ok(KioskRunSchema), ...problems(401, 404) } }),
  submit: route({ ...common, operationId: 'submitKioskScreen', method: 'POST', path: '/v1/kiosk-runs/{runId}/submit', summary: 'Answer the current screen: the next screen, or done with the result; 409 for another screen', params: RunParams, body: SubmitKioskScreenBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(KioskRunSchema), ...problems(400, 401, 403, 404, 409, 422, 423) } }),
};
