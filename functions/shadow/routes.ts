import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { ShadowRunBody, ShadowRunParams, ShadowRunSchema } from './schemas.js';

// Served by the automation area's Lambda (a shadow run tries any automation; it needs no Lambda of its own).
const common = { area: 'automation', auth: 'jwt', tags: ['Shadow runs'] } as const;

export const shadowRoutes = {
  startShadowRun: route({ ...common, operationId: 'startShadowRun', method: 'POST', path: '/v1/shadow-runs', summary: "Try a draft over the recorded past (org admin; a team admin on the team's modules): replays the window's changes through the same engines, writes nothing, sends nothing", body: ShadowRunBody, requestHeaders: ['Idempotency-Key'], responses: { 202: ok(ShadowRunSchema, 'Queued; poll the Location', ['Location']), ...problems(400, 401, 403, 404, 422) } }),
  getShadowRun: route({ ...common, operationId: 'getShadowRun', method: 'GET', path: '/v1/shadow-runs/{id}', summary: 'A shadow run: progress, then the result beside what the published version did', params: ShadowRunParams, responses: { 200: ok(ShadowRunSchema), ...problems(401, 404) } }),
};
