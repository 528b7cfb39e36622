import { z } from 'zod';
import { ok } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';

const common = { area: 'system', auth: 'public', tags: ['Operations'] } as const;

export const systemRoutes = {
  health: route({ ...common, operationId: 'health', method: 'GET', path: '/v1/health', summary: 'Liveness', responses: { 200: ok(z.object({ status: z.literal('ok') })) } }),
  openapi: route({ ...common, operationId: 'openapi', method: 'GET', path: '/v1/openapi.json', summary: 'This OpenAPI 3.1 document', responses: { 200: ok(z.record(z.string(), z.unknown()), 'The OpenAPI document') } }),
};
