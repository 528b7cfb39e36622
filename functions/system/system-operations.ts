import { API_DESCRIPTION } from '../../shared/http/api-description.js';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { implement, json, text } from '../../shared/http/operation.js';
import { routes } from '../routes.js';
import { systemRoutes, type ApiIndex, type Health } from './routes.js';

export const healthOperation = implement(systemRoutes.health, async (_req, deps) => json(200, { status: 'ok', timeScale: deps.timeScale?.() ?? 1 } satisfies Health));

const API_INDEX: ApiIndex = {
  name: 'Keiro API',
  links: { reference: '/v1/docs', openapi: '/v1/openapi.json', health: '/v1/health', me: '/v1/me', console: '/console' },
};

export const apiIndexOperation = implement(systemRoutes.index, async () => json(200, API_INDEX));

/** Relative, so that it holds behind a base path (a custom domain's mapping) as the console's own URLs do. */
export const rootOperation = implement(systemRoutes.root, async () => text(302, 'See console\n', { 'content-type': 'text/plain; charset=utf-8', location: 'console' }));

let cachedDocument: ReturnType<typeof buildOpenApi> | undefined;

/** Generated once per cold start from the route table: the same schemas that validate requests. */
export const openapiOperation = implement(systemRoutes.openapi, async () => {
  cachedDocument ??= buildOpenApi(routes, {
    title: 'Keiro API',
    version: '1.0.0',
    description: API_DESCRIPTION,
  });
  return json(200, cachedDocument);
});
