import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { DeadLetterPageSchema, DeadLetterParams, DeadLetterSchema, ListDeadLettersQuery } from './schemas.js';

const common = { area: 'admin', auth: 'jwt', tags: ['Operations'] } as const;

export const adminRoutes = {
  listDeadLetters: route({ ...common, operationId: 'listDeadLetters', method: 'GET', path: '/v1/admin/dead-letters', summary: 'Events a subscription target could not take, newest first (org admin)', query: ListDeadLettersQuery, responses: { 200: ok(DeadLetterPageSchema), ...problems(400, 401, 403) } }),
  getDeadLetter: route({ ...common, operationId: 'getDeadLetter', method: 'GET', path: '/v1/admin/dead-letters/{id}', summary: 'One dead letter, with its event and error (org admin)', params: DeadLetterParams, responses: { 200: ok(DeadLetterSchema, 'OK', ['ETag']), ...problems(401, 403, 404) } }),
  replayDeadLetter: route({ ...common, operationId: 'replayDeadLetter', method: 'POST', path: '/v1/admin/dead-letters/{id}/replay', summary: 'Deliver the event again to the one target that failed (org admin)', params: DeadLetterParams, requestHeaders: ['Idempotency-Key'], responses: { 202: ok(DeadLetterSchema, 'Handed back to the target; `status` is the outcome when already known', ['ETag']), ...problems(401, 403, 404, 409, 503) } }),
};
