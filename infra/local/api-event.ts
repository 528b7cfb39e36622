import { randomUUID } from 'node:crypto';
import type { HttpEvent } from '../../shared/http/area-handler.js';
import { routeKey, type RouteSpec } from '../../shared/http/route-spec.js';

/** A request as the API Gateway HTTP API hands it to an area Lambda, after its route matched. */
export interface ApiRequest {
  /** As asked (HEAD has routes of its own in AWS). */
  method: string;
  url: URL;
  /** Lower-cased names. */
  headers: Record<string, string>;
  spec: RouteSpec;
  pathParameters: Record<string, string>;
  body: string;
  /** The claims the JWT authorizer verified; absent on a public route. */
  claims?: Record<string, unknown>;
  sourceIp?: string;
}

const queryOf = (search: URLSearchParams): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  for (const [k, v] of search) out[k] = k in out ? `${out[k]},${v}` : v;
  return Object.keys(out).length > 0 ? out : undefined;
};

/**
 * The API Gateway v2 event of a request (payload format 2.0), the claims already verified as the JWT
 * authorizer puts them: what the local API server and the in-process bench hand to an area handler.
 */
export const apiGatewayEvent = (request: ApiRequest): HttpEvent => {
  const { method, url, headers, spec, claims } = request;
  const now = new Date();
  // As API Gateway does: the route key names the method asked for (HEAD has routes of its own there).
  const key = routeKey({ method: method === 'HEAD' ? 'HEAD' : spec.method, path: spec.path });
  const query = queryOf(url.searchParams);
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    pathParameters: request.pathParameters,
    body: request.body.length > 0 ? request.body : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as HttpEvent;
};
