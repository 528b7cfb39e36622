import * as z from 'zod';
import { ok } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const common = { area: 'system', auth: 'public', tags: ['Operations'] } as const;

/** `GET /v1/health`: alive, and how fast the cloud's business time runs (1 in AWS; `npm start --time-scale n` locally). */
export const healthSchema = lazySchema(() => z.object({
  status: z.literal('ok'),
  timeScale: z.number().positive().describe("Business seconds per wall-clock second: 1 in AWS; the local cloud's `--time-scale`"),
}));
export type Health = z.infer<typeof healthSchema>;

/** `GET /v1`: where to go from the API's root. Paths are absolute on this host. */
export const apiIndexSchema = lazySchema(() => z.object({
  name: z.string(),
  links: z.object({
    reference: z.string().describe('The API reference, rendered (HTML)'),
    openapi: z.string().describe('The OpenAPI 3.1 document'),
    health: z.string(),
    me: z.string().describe('Who the bearer token is'),
    console: z.string().describe('The console (HTML)'),
  }),
}));
export type ApiIndex = z.infer<typeof apiIndexSchema>;

export const systemRoutes = {
  root: route({ ...common, operationId: 'root', method: 'GET', path: '/', summary: 'The front door: redirects to the console', tags: ['Console'], responses: { 302: { description: 'To the console', headers: ['Location'], contentType: 'text/plain' } } }),
  index: route({ ...common, operationId: 'apiIndex', method: 'GET', path: '/v1', summary: "The API's root: links to the reference, the OpenAPI document and the console", responses: { 200: ok(apiIndexSchema, 'Links') } }),
  favicon: route({ ...common, operationId: 'favicon', method: 'GET', path: '/favicon.svg', summary: "Keiro's icon, for the console and the reference", tags: ['Console'], responses: { 200: { description: 'SVG', contentType: 'image/svg+xml' } } }),
  faviconIco: route({ ...common, operationId: 'faviconIco', method: 'GET', path: '/favicon.ico', summary: "Keiro's icon where a browser looks for it by default (SVG)", tags: ['Console'], responses: { 200: { description: 'SVG', contentType: 'image/svg+xml' } } }),
  health: route({ ...common, operationId: 'health', method: 'GET', path: '/v1/health', summary: "Liveness, and the cloud's time scale", responses: { 200: ok(healthSchema) } }),
  console: route({ ...common, operationId: 'console', method: 'GET', path: '/console', summary: 'The reference console: run wizards and kiosks, see a kanban (a web page)', tags: ['Console'], responses: { 200: { description: 'The console page', contentType: 'text/html' } } }),
  consoleScript: route({ ...common, operationId: 'consoleScript', method: 'GET', path: '/console/app.js', summary: "The console's script", tags: ['Console'], responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } } }),
  consoleStyles: route({ ...common, operationId: 'consoleStyles', method: 'GET', path: '/console/console.css', summary: "The console's stylesheet", tags: ['Console'], responses: { 200: { description: 'CSS', contentType: 'text/css' } } }),
  docs: route({ ...common, operationId: 'docs', method: 'GET', path: '/v1/docs', summary: 'This reference, rendered (Redoc, served by the API itself)', responses: { 200: { description: 'The reference page', schema: lazySchema(() => z.string()), contentType: 'text/html' } } }),
  docsInit: route({ ...common, operationId: 'docsInit', method: 'GET', path: '/v1/docs/assets/init.js', summary: "The reference page's start-up script", responses: { 200: { description: 'JavaScript', schema: lazySchema(() => z.string()), contentType: 'text/javascript' } } }),
  docsScript: route({ ...common, operationId: 'docsScript', method: 'GET', path: '/v1/docs/assets/redoc.standalone.js', summary: "The reference page's renderer (Redoc's standalone build)", responses: { 200: { description: 'JavaScript', schema: lazySchema(() => z.string()), contentType: 'text/javascript' } } }),
  openapi: route({ ...common, operationId: 'openapi', method: 'GET', path: '/v1/openapi.json', summary: 'This OpenAPI 3.1 document', responses: { 200: ok(lazySchema(() => z.record(z.string(), z.unknown())), 'The OpenAPI document') } }),
};
