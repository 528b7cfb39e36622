import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaOperations } from '../../../functions/areas.js';
import { routes } from '../../../functions/routes.js';
import { createAreaHandler, type HttpEvent } from '../../../shared/http/area-handler.js';
import { buildOpenApi } from '../../../shared/http/openapi.js';
import { routeKey, type RouteSpec } from '../../../shared/http/route-spec.js';
import { unitDeps } from '../../support/unit-deps.js';

/**
 * Every status a route can answer is declared in the OpenAPI document. The statuses that the shared
 * machinery produces (before and around any use case) are provoked here through the real area
 * handlers, and the rest are stated per condition: any route may be throttled (429) or fail (500); a
 * token route may be refused (401, 403); params, query, body and headers may be bad (400); a body may be
 * too large (413) or of another media type (415); If-Match may fail (412); an Idempotency-Key may be
 * in flight (409) or reused with another body (422).
 */
const document = buildOpenApi(routes, { title: 'Keiro API', version: 'test' });
const declared = (route: RouteSpec): string[] => Object.keys(((document.paths[route.path] as Record<string, { responses: object }>)[route.method.toLowerCase()] as { responses: object }).responses);
const handlers = Object.fromEntries(Object.entries(areaOperations).map(([area, ops]) => [area, createAreaHandler(ops ?? [], unitDeps())]));

const claims = { sub: 'u-agent', email: 'u-agent@keiro.example' };

// The probes are answered by the machinery before any use case runs; at most the caller's directory
// entry may be read (a refused request is refused as for anyone in the directory). Any other call fails.
const db = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  db.reset();
  db.onAnyCommand().rejects(new Error('A probe reached a use case'));
  db.on(GetCommand).resolves({ Item: { entity: 'User', id: 'u-agent', email: 'u-agent@keiro.example', name: 'Agent', orgRole: 'member', version: 1 } });
});
afterAll(() => {
  expect(db.calls().filter((call) => !(call.args[0] instanceof GetCommand))).toEqual([]);
  db.restore();
});
const concrete = (route: RouteSpec, value: (name: string) => string) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

const call = (route: RouteSpec, options: { params?: Record<string, string>; query?: Record<string, string>; body?: string; contentType?: string; headers?: Record<string, string>; auth?: boolean }) => {
  const params = options.params ?? Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'x']));
  const event = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: concrete(route, (n) => params[n] ?? 'x'),
    rawQueryString: '',
    headers: { ...(options.contentType ? { 'content-type': options.contentType } : {}), ...(options.headers ?? {}) },
    pathParameters: params,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
    requestContext: { requestId: 'r', routeKey: routeKey(route), http: { method: route.method, path: route.path }, ...(options.auth === false ? {} : { authorizer: { jwt: { claims } } }) },
  } as unknown as HttpEvent;
  return (handlers[route.area] as (e: HttpEvent) => Promise<{ statusCode?: number }>)(event);
};

describe('statuses declared in the OpenAPI document', () => {
  it.each(routes.map((r) => [routeKey(r), r] as const))('%s declares what the machinery answers', async (_, route) => {
    const statuses = declared(route);
    const expectDeclared = (status: number | undefined, why: string) => {
      expect(status, why).toBeDefined();
      expect(statuses, `${why} → ${status}`).toContain(String(status));
    };
    /** A provoked answer: the machinery's own 4xx (never a failure), declared. */
    const answered = async (res: Promise<{ statusCode?: number }>, why: string) => {
      const status = (await res).statusCode;
      expect(status, why).toBeLessThan(500);
      expectDeclared(status, why);
    };

    expectDeclared(429, 'throttled');
    expectDeclared(500, 'unexpected failure');
    if (route.auth === 'jwt') {
      await answered(call(route, { auth: false }), 'no token');
      expectDeclared(403, 'not allowed, or not in the directory');
    }
    if (route.params) {
      await answered(call(route, { params: Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1] as string, '%E0%A4%A'])) }), 'a malformed path parameter');
      expectDeclared(404, 'a missing resource');
    }
    if (route.query && !route.query.safeParse({ zzz: '1' }).success) {
      await answered(call(route, { query: { zzz: '1' } }), 'an unknown query parameter');
    }
    if (route.body) {
      await answered(call(route, { body: '{not json', contentType: 'application/json' }), 'malformed JSON');
      await answered(call(route, { body: '{}', contentType: 'text/plain' }), 'another media type');
    }
    if (['POST', 'PUT', 'PATCH'].includes(route.method)) expectDeclared(413, 'a body over the limit');
    if (route.requestHeaders?.includes('If-Match')) {
      await answered(call(route, { headers: { 'if-match': '"1' } }), 'a malformed If-Match');
      expectDeclared(412, 'a failed If-Match');
    }
    if (route.requestHeaders?.includes('Idempotency-Key')) {
      await answered(call(route, { headers: { 'idempotency-key': 'k'.repeat(256) }, body: '{}', contentType: 'application/json' }), 'an over-long Idempotency-Key');
      expectDeclared(409, 'the same key in flight');
      expectDeclared(422, 'the same key with another body');
    }
    if (route.auth === 'jwt' && route.method !== 'GET') {
      await answered(call(route, { headers: { 'x-change-reason': 'r'.repeat(501) }, body: '{}', contentType: 'application/json' }), 'an over-long X-Change-Reason');
    }
  });

  it('header limits are in the schemas, and Idempotent-Replayed is declared where a key is taken', () => {
    for (const route of routes) {
      const operation = (document.paths[route.path] as Record<string, any>)[route.method.toLowerCase()];
      const header = (name: string) => (operation.parameters ?? []).find((p: { in: string; name: string }) => p.in === 'header' && p.name === name);
      if (route.requestHeaders?.includes('Idempotency-Key')) {
        expect(header('Idempotency-Key').schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
        for (const response of Object.values(operation.responses) as Array<{ headers?: Record<string, unknown> }>) expect(response.headers?.['Idempotent-Replayed'], routeKey(route)).toBeDefined();
      }
      if (route.auth === 'jwt' && route.method !== 'GET') expect(header('X-Change-Reason').schema).toMatchObject({ type: 'string', maxLength: 500 });
    }
  });

  it('every success response of a versioned resource declares its ETag', () => {
    const versioned = (schema: unknown): boolean => {
      const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
      return shape !== undefined && 'version' in shape;
    };
    const missing = routes.flatMap((route) =>
      Object.entries(route.responses)
        .filter(([status, res]) => Number(status) < 300 && versioned(res.schema) && !res.headers?.includes('ETag'))
        .map(([status]) => `${routeKey(route)} ${status}`),
    );
    expect(missing).toEqual([]);
  });
});
