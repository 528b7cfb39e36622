import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import type { HttpMethod, RouteSpec } from '../../../shared/http/route-spec.js';
import { routeKey } from '../../../shared/http/route-spec.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * Media types and methods over HTTP, generated from the route table: every route that takes a body
 * answers a body in another media type with 415 problem+json (before touching anything), takes JSON
 * with a charset and `+json` types, and every path answers a method it does not serve with 405 + Allow.
 */
let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const concrete = (route: RouteSpec): string => route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'module' ? 'Leads' : name === 'userId' ? 'u-agent' : '01JNOSUCHTHING000000000000'));

const send = async (route: RouteSpec, contentType: string | undefined, body: string) => {
  const headers: Record<string, string> = { authorization: `Bearer ${await api.tokenFor('u-admin')}` };
  if (contentType !== undefined) headers['content-type'] = contentType;
  // Bytes, not a string: fetch adds no Content-Type of its own to a byte body.
  const res = await fetch(`${api.baseUrl}${concrete(route)}`, { method: route.method, headers, body: new TextEncoder().encode(body) });
  return { status: res.status, headers: res.headers, body: await res.text() };
};

const withBody = routes.filter((r) => r.body);
/** Routes that take JSON (no media types of their own declared). */
const jsonBody = withBody.filter((r) => !r.requestContentTypes);
const REFUSED = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=iso-8859-1', 'application/jsonx'];
/** What a route refuses: every type above that it does not declare (a form route refuses JSON too). */
const refusedBy = (r: RouteSpec): string[] => (r.requestContentTypes ? [...REFUSED, 'application/json'].filter((t) => !r.requestContentTypes!.includes(t)) : REFUSED);

describe('415 for a body that is not JSON, on every route with a body', () => {
  it('the route table has routes with a body', () => {
    expect(withBody.length).toBeGreaterThan(5);
  });

  it.each(withBody.flatMap((r) => [...refusedBy(r), undefined].map((type) => [routeKey(r), type ?? '(no content type)', r, type] as const)))(
    '%s with %s → 415 problem+json naming what it takes',
    async (_, __, route, type) => {
      const res = await send(route, type, '{}');
      expect(res.status, res.body).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('accept')).toBe((route.requestContentTypes ?? ['application/json']).join(', '));
      expect(JSON.parse(res.body)).toMatchObject({ status: 415, errors: [{ path: 'Content-Type' }] });
    },
  );

  it.each([
    ...jsonBody.flatMap((r) => ['application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON'].map((type) => [routeKey(r), type, r] as const)),
    ...withBody.flatMap((r) => (r.requestContentTypes ?? []).map((type) => [routeKey(r), type, r] as const)),
  ])(
    '%s takes %s (never 415)',
    async (_, type, route) => {
      const res = await send(route, type, '{}');
      expect(res.status, res.body).not.toBe(415);
      expect(res.status).toBeLessThan(500);
    },
  );

  it('a refused body changes nothing', async () => {
    const res = await send(routes.find((r) => r.operationId === 'createRecord') as RouteSpec, 'text/plain', JSON.stringify({ fields: { lastName: 'Plain' } }));
    expect(res.status).toBe(415);
    const list = await api.call<any>('u-admin', 'GET', '/v1/records/Leads?filter%5BlastName%5D=Plain');
    expect(list.body.items).toEqual([]);
  });
});

/** Commands that take no body (activate, start a run, delete…): what they are sent is still read, as for every route (415, 400). */
const bodyless = routes.filter((r) => !r.body && r.method !== 'GET');

describe('routes that take no body still refuse a body that is not JSON (415) or not valid JSON (400)', () => {
  it('the route table has such routes, the journey activation and the kiosk run among them', () => {
    expect(bodyless.map((r) => r.operationId)).toEqual(expect.arrayContaining(['activateJourney', 'startKioskRun']));
  });

  it.each(bodyless.map((r) => [routeKey(r), r] as const))('%s: text/plain → 415, invalid JSON → 400, before anything runs', async (_, route) => {
    const plain = await send(route, 'text/plain', 'activate please');
    expect(plain.status, plain.body).toBe(415);
    expect(JSON.parse(plain.body)).toMatchObject({ status: 415, errors: [{ path: 'Content-Type' }] });
    const broken = await send(route, 'application/json', '{"oops":');
    expect(broken.status, broken.body).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ status: 400, errors: [{ path: '(body)' }] });
  });

  it('an empty body or an empty JSON object is still taken (the command runs as without one)', async () => {
    const res = await send(routes.find((r) => r.operationId === 'activateJourney') as RouteSpec, 'application/json', '{}');
    expect(res.status, res.body).not.toBe(415);
    expect(res.status).not.toBe(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('405 carries Allow, on every path of the route table', () => {
  const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const paths = [...new Set(routes.map((r) => r.path))];
  it.each(paths.map((p) => [p]))('%s', async (path) => {
    const declared = routes.filter((r) => r.path === path).map((r) => r.method);
    const unused = METHODS.find((m) => !declared.includes(m) && !routes.some((r) => r.method === m && r.path !== path && concrete(r) === concrete({ path } as RouteSpec)));
    if (!unused) return;
    const res = await api.call<any>('u-admin', unused, concrete({ path } as RouteSpec));
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const allow = (res.headers.get('allow') ?? '').split(', ');
    expect(allow).toEqual(expect.arrayContaining(declared));
  });
});
