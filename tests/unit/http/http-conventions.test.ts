import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { areaOperations } from '../../../functions/areas.js';
import { routes } from '../../../functions/routes.js';
import { authFromClaims } from '../../../shared/http/auth.js';
import { buildOpenApi } from '../../../shared/http/openapi.js';
import { problemFrom } from '../../../shared/http/problem.js';
import { routeKey } from '../../../shared/http/route-spec.js';
import { createRouteMatcher } from '../../../infra/local/route-matcher.js';
import { Conflict, Forbidden, Invalid, Locked, NotFound, StaleVersion, Unprocessable, domainError, type DomainError } from '../../../shared/domain/errors.js';

describe('the route table', () => {
  it('has unique route keys and operation ids', () => {
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.operationId)).size).toBe(routes.length);
  });

  it('has exactly one implementation for every route, in the route’s own area', () => {
    const implemented = Object.entries(areaOperations).flatMap(([area, ops]) => (ops ?? []).map((op) => `${area} ${routeKey(op.spec)}`));
    expect(implemented.sort()).toEqual(routes.map((r) => `${r.area} ${routeKey(r)}`).sort());
  });
});

describe('the OpenAPI document', () => {
  const document = buildOpenApi(routes, { title: 'Keiro API', version: '1.0.0' });

  it('covers every route', () => {
    for (const route of routes) {
      const operation = (document.paths[route.path] as Record<string, { operationId: string }> | undefined)?.[route.method.toLowerCase()];
      expect(operation?.operationId, routeKey(route)).toBe(route.operationId);
    }
  });

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('marks public routes as needing no token', () => {
    expect((document.paths['/v1/health'] as any).get.security).toEqual([]);
  });
});

describe('local route matching (as API Gateway does)', () => {
  const match = createRouteMatcher(routes);
  it('prefers literal segments over parameters', () => {
    const found = match('GET', '/v1/records/Leads/lookup');
    expect(found.kind === 'match' && found.spec.operationId).toBe('lookupRecords');
  });
  it('extracts path parameters', () => {
    const found = match('GET', '/v1/records/Leads/01ABC/history');
    expect(found.kind === 'match' && found.pathParameters).toEqual({ module: 'Leads', id: '01ABC' });
  });
  it('tells a wrong method from a missing route', () => {
    expect(match('PUT', '/v1/health').kind).toBe('method-not-allowed');
    expect(match('GET', '/v1/nothing').kind).toBe('none');
  });
});

describe('conventions', () => {
  it.each([
    [['admin'], true],
    ['[admin sales]', true],
    ['["admin"]', true],
    ['sales', false],
    [undefined, false],
  ])('cognito:groups %j → admin %s', (groups, admin) => {
    expect(authFromClaims({ sub: 'u', 'cognito:groups': groups })?.isOrgAdmin).toBe(admin);
  });

  it('has no identity without sub', () => {
    expect(authFromClaims({ email: 'x@y.z' })).toBeNull();
  });

  it('maps errors to problem+json and hides internals of unexpected ones', () => {
    expect(problemFrom(new Conflict('moved on', [{ path: 'fields.a', message: 'taken' }])).problem).toMatchObject({ status: 409, errors: [{ path: 'fields.a' }] });
    const hidden = problemFrom(new Error('password=hunter2 at db.ts:42')).problem;
    expect(hidden).toEqual({ type: expect.any(String), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred' });
  });

  it.each<[DomainError, number, string, string]>([
    [new Invalid('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor this API returned' }]), 400, 'Bad Request', 'Invalid cursor'],
    [new Forbidden(), 403, 'Forbidden', 'You do not have permission to do this'],
    [new NotFound(), 404, 'Not Found', 'Not found'],
    [new Conflict('A unique field value is already taken'), 409, 'Conflict', 'A unique field value is already taken'],
    [new StaleVersion(), 412, 'Precondition Failed', 'The resource has changed since you read it (If-Match does not match the current version)'],
    [new Unprocessable('The record does not meet the criteria'), 422, 'Unprocessable Content', 'The record does not meet the criteria'],
    [new Locked('Pending approval'), 423, 'Locked', 'Pending approval'],
  ])('maps the domain outcome %s to its one status, title and detail', (error, status, title, detail) => {
    const { problem, headers } = problemFrom(error);
    expect(problem).toEqual({ type: `https://keiro.example/problems/${status}`, title, status, detail, ...(error.errors.length > 0 ? { errors: error.errors } : {}) });
    expect(headers).toEqual({});
  });

  it('builds an engine refusal as the class of its kind, so every layer recognises it', () => {
    expect(domainError('conflict', 'moved on')).toBeInstanceOf(Conflict);
    expect(domainError('rule', 'criteria unmet', [{ path: 'fields.a', message: 'Required' }])).toMatchObject({ kind: 'rule', errors: [{ path: 'fields.a' }] });
    expect(problemFrom(domainError('invalid', 'bad', [])).problem).not.toHaveProperty('errors');
  });
});
