import { z } from 'zod';
import { ok } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';

const common = { area: 'system', auth: 'public', tags: ['Operations'] } as const;

export const systemRoutes = {
  health: route({ ...common, operationId: 'health', method: 'GET', path: '/v1/health', summary: 'Liveness', responses: { 200: ok(z.object({ status: z.literal('ok') })) } }),
  console: route({ ...common, operationId: 'console', method: 'GET', path: '/console', summary: 'The reference console: run wizards and kiosks, see a kanban (a web page)', tags: ['Console'], responses: { 200: { description: 'The console page', contentType: 'text/html' } } }),
  consoleScript: route({ ...common, operationId: 'consoleScript', method: 'GET', path: '/console/app.js', summary: "The console's script", tags: ['Console'], responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } } }),
  consoleStyles: route({ ...common, operationId: 'consoleStyles', method: 'GET', path: '/console/console.css', summary: "The console's stylesheet", tags: ['Console'], responses: { 200: { description: 'CSS', contentType: 'text/css' } } }),
  docs: route({ ...common, operationId: 'docs', method: 'GET', path: '/v1/docs', summary: 'This reference, rendered (Redoc, served by the API itself)', responses: { 200: { description: 'The reference page', schema: z.string(), contentType: 'text/html' } } }),
  docsInit: route({ ...common, operationId: 'docsInit', method: 'GET', path: '/v1/docs/assets/init.js', summary: "The reference page's start-up script", responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } } }),
  docsScript: route({ ...common, operationId: 'docsScript', method: 'GET', path: '/v1/docs/assets/redoc.standalone.js', summary: "The reference page's renderer (Redoc's standalone build)", responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } } }),
  openapi: route({ ...common, operationId: 'openapi', method: 'GET', path: '/v1/openapi.json', summary: 'This OpenAPI 3.1 document', responses: { 200: ok(z.record(z.string(), z.unknown()), 'The OpenAPI document') } }),
};
