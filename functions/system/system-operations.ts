import { API_DESCRIPTION } from '../../shared/http/api-description.js';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { implement, json } from '../../shared/http/operation.js';
import { routes } from '../routes.js';
import { systemRoutes } from './routes.js';

export const healthOperation = implement(systemRoutes.health, async () => json(200, { status: 'ok' }));

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
