import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import type { RouteSpec } from '../../../shared/http/route-spec.js';
import { routeKey } from '../../../shared/http/route-spec.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * RFC 9110 over HTTP, generated from the route table: HEAD answers every GET route with the GET's
 * status and headers and no body (§9.3.2), and a GET whose answer carries an ETag answers
 * `If-None-Match` with 304 when a tag matches by weak comparison (§13.1.2, §15.4.5).
 */
let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const concrete = (route: Pick<RouteSpec, 'path'>): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'module' ? 'Leads' : name === 'userId' || name === 'id' ? 'u-agent' : '01JNOSUCHTHING000000000000'));

/**
 * Response headers by lower-cased name, without Date (it may differ between two answers) and the
 * connection's own (fetch asks to close after every HEAD: undici guards against servers that send a body).
 */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive']);
const headersOf = (res: Response): Record<string, string> => {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  });
  return out;
};

const raw = async (method: string, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${api.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${await api.tokenFor('u-admin')}`, ...headers } });
  const text = await res.text();
  return { status: res.status, headers: headersOf(res), text };
};

const gets = routes.filter((r) => r.method === 'GET');

describe('HEAD on every GET route: same status and headers, no body', () => {
  it('the route table has GET routes, health among them', () => {
    expect(gets.map((r) => r.operationId)).toContain('health');
  });

  it.each(gets.map((r) => [routeKey(r), r] as const))('HEAD %s', async (_, route) => {
    const path = concrete(route);
    const get = await raw('GET', path);
    const head = await raw('HEAD', path);
    expect(head.status).toBe(get.status);
    expect(head.headers).toEqual(get.headers);
    expect(head.text).toBe('');
  });

  it('HEAD /v1/health without a token is 200 with the JSON content type and the length GET would send', async () => {
    const res = await fetch(`${api.baseUrl}/v1/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const get = await fetch(`${api.baseUrl}/v1/health`);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(await get.text())));
  });

  it('405 names HEAD beside GET in Allow', async () => {
    const res = await api.call('u-admin', 'DELETE', '/v1/health');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('If-None-Match on GET of records and definitions', () => {
  let leadPath: string;
  beforeAll(async () => {
    const lead = await api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Conditional' } } });
    expect(lead.status).toBe(201);
    leadPath = `/v1/records/Leads/${lead.body.id}`;
  });

  it.each([
    ['"1"', 304],
    ['W/"1"', 304],
    ['"0", "1"', 304],
    ['"x", W/"1"', 304],
    ['*', 304],
    ['"2"', 200],
    ['W/"2", "opaque"', 200],
  ])('GET a record at version 1 with If-None-Match %s → %s', async (ifNoneMatch, status) => {
    const res = await raw('GET', leadPath, { 'if-none-match': ifNoneMatch });
    expect(res.status).toBe(status);
    expect(res.headers.etag).toBe('"1"');
    if (status === 304) {
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
    } else expect(JSON.parse(res.text)).toMatchObject({ version: 1 });
  });

  it('HEAD takes If-None-Match too', async () => {
    expect((await raw('HEAD', leadPath, { 'if-none-match': '"1"' })).status).toBe(304);
  });

  it('after a change, the old tag no longer matches', async () => {
    const patched = await api.call('u-agent', 'PATCH', leadPath, { body: { fields: { company: 'Changed' } }, headers: { 'if-match': '"1"' } });
    expect(patched.status).toBe(200);
    const res = await raw('GET', leadPath, { 'if-none-match': '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
  });

  it.each(['1', '"1', 'W/1', '"1",', '*, "1"'])('a malformed If-None-Match %j is 400 naming the header', async (ifNoneMatch) => {
    const res = await raw('GET', leadPath, { 'if-none-match': ifNoneMatch });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors).toEqual([{ path: 'If-None-Match', message: expect.any(String) }]);
  });

  it('a caller who may not read the resource gets their 404, not a 304', async () => {
    const res = await fetch(`${api.baseUrl}${leadPath}`, { headers: { authorization: `Bearer ${await api.tokenFor('u-requester')}`, 'if-none-match': '*' } });
    expect(res.status).toBe(404);
  });

  it.each([
    ['journeys', '/v1/journeys'],
    ['cadences', '/v1/cadences'],
    ['blueprints', '/v1/blueprints'],
    ['wizards', '/v1/wizards'],
    ['kiosks', '/v1/kiosks'],
    ['approval processes', '/v1/approval-processes'],
    ['workflow rules', '/v1/workflow-rules'],
  ])('a seeded definition (%s) answers its own ETag with 304', async (_, list) => {
    const listed = await api.call<{ items: Array<{ id: string }> }>('u-admin', 'GET', list);
    const id = listed.body.items[0]?.id;
    expect(id, list).toBeDefined();
    const first = await raw('GET', `${list}/${id}`);
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"\d+"$/);
    const again = await raw('GET', `${list}/${id}`, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
    expect(again.text).toBe('');
  });
});
