import { z } from 'zod';
import { ok } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';

const common = { area: 'system', auth: 'public', tags: ['Operations'] } as const;

export const systemRoutes = {
  health: route({ ...common, operationId: 'health', method: 'GET', path: '/v1/health', summary: 'Liveness', responses: { 200: ok(z.object({ status: z.literal('ok') })) } }),
  docs: route({ ...common, operationId: 'docs', method: 'GET', path: '/v1/docs', summary: 'This reference, rendered (Redoc, served by the API itself)', responses: { 200: { description: 'The reference page', schema: z.string(), contentType: 'text/html' } } }),
  docsInit: route({ ...common, operationId: 'docsInit', method: 'GET', path: '/v1/docs/assets/init.js', summary: "The reference page's start-up script", responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } } }),
  docsScript: route({ ...common, operationId: 'docsScript', method: 'GET', path: '/v1/docs/assets/redoc.standalone.js', summary: "The reference page's renderer (Redoc's standalone build)", responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } } }),
  openapi: route({ ...common, operationId: 'openapi', method: 'GET', path: '/v1/openapi.json', summary: 'This OpenAPI 3.1 document', responses: { 200: ok(z.record(z.string(), z.unknown()), 'The OpenAPI document') } }),
};
