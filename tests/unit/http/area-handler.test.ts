import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createAreaHandler, type HttpEvent } from '../../../shared/http/area-handler.js';
import { implement, json } from '../../../shared/http/operation.js';
import { route } from '../../../shared/http/route-spec.js';
import { isJsonMediaType } from '../../../shared/http/media-types.js';
import { createRouteMatcher } from '../../../infra/local/route-matcher.js';
import { unitDeps } from '../../support/unit-deps.js';

const Body = z.strictObject({ name: z.string() });
const common = { area: 'system', auth: 'public', tags: ['Test'], responses: { 200: { description: 'OK' } } } as const;
const echo = implement(route({ ...common, operationId: 'echo', method: 'POST', path: '/v1/echo', summary: 'Echo', body: Body }), async (req) => json(200, req.body));
const read = implement(route({ ...common, operationId: 'read', method: 'GET', path: '/v1/echo', summary: 'Read' }), async () => json(200, {}));
const form = implement(
  route({ ...common, operationId: 'form', method: 'POST', path: '/v1/form', summary: 'Form', body: z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') }), requestContentTypes: ['application/x-www-form-urlencoded'] }),
  async (req) => json(200, req.body),
);
const versioned = implement(
  route({ ...common, operationId: 'versioned', method: 'GET', path: '/v1/versioned', summary: 'Versioned', responses: { 200: { description: 'OK', headers: ['ETag'] } } }),
  async () => json(200, { version: 3, text: 'ナ' }, { ETag: '"3"', 'Cache-Control': 'no-cache' }),
);
const activate = implement(route({ ...common, operationId: 'activate', method: 'POST', path: '/v1/activate', summary: 'No body' }), async () => json(200, { active: true }));
const handler = createAreaHandler([echo, read, form, versioned, activate], unitDeps());

const event = (method: string, path: string, body?: string, contentType?: string): HttpEvent =>
  ({
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: contentType ? { 'content-type': contentType } : {},
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: { requestId: 'r', http: { method, path } },
  }) as unknown as HttpEvent;

describe('request media types', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON;Charset="UTF-8"', true],
    ['application/merge-patch+json', true],
    ['application/problem+json ; charset=utf-8', true],
    ['application/json; charset=latin1', false],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    ['application/json+xml', false],
    ['multipart/form-data; boundary=x', false],
    ['', false],
  ])('%j is JSON: %s', (type, expected) => {
    expect(isJsonMediaType(type)).toBe(expected);
  });

  it.each([
    ['text/plain', '{"name":"a"}'],
    ['application/x-www-form-urlencoded', 'name=a'],
    [undefined, '{"name":"a"}'],
  ])('a %s body on a JSON route is 415 problem+json with Accept', async (type, body) => {
    const res = await handler(event('POST', '/v1/echo', body, type));
    expect(res.statusCode).toBe(415);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.headers?.Accept).toBe('application/json');
  });

  it('takes JSON with a charset', async () => {
    const res = await handler(event('POST', '/v1/echo', '{"name":"a"}', 'application/json; charset=utf-8'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body as string)).toEqual({ name: 'a' });
  });

  it('no body at all is a 400 on the body, not a 415', async () => {
    expect((await handler(event('POST', '/v1/echo'))).statusCode).toBe(400);
  });

  it('a route that declares a form body takes it, and refuses JSON with 415', async () => {
    const ok = await handler(event('POST', '/v1/form', 'List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded'));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body as string)).toEqual({ 'List-Unsubscribe': 'One-Click' });
    const refused = await handler(event('POST', '/v1/form', '{}', 'application/json'));
    expect(refused.statusCode).toBe(415);
    expect(refused.headers?.Accept).toBe('application/x-www-form-urlencoded');
  });
});

describe('405 Method Not Allowed carries Allow', () => {
  it('in the area handler, for a path it serves with other methods', async () => {
    const res = await handler(event('DELETE', '/v1/echo'));
    expect(res.statusCode).toBe(405);
    expect(res.headers?.Allow).toBe('GET, HEAD, POST');
  });

  it('in the local route matcher', () => {
    const match = createRouteMatcher([echo.spec, read.spec]);
    expect(match('PUT', '/v1/echo')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'HEAD', 'POST'] });
  });
});

describe('HEAD, as API Gateway routes it (route key HEAD /path)', () => {
  it('answers as GET does, with the Content-Length the GET body would have, and no body', async () => {
    const get = await handler(event('GET', '/v1/versioned'));
    const head = await handler(event('HEAD', '/v1/versioned'));
    expect(head.statusCode).toBe(200);
    expect(head.body).toBeUndefined();
    expect(head.headers).toEqual({ ...get.headers, 'content-length': Buffer.byteLength(get.body as string) });
  });

  it('a refusal keeps its status and headers but loses its body', async () => {
    const head = await handler(event('HEAD', '/v1/form'));
    expect(head.statusCode).toBe(405);
    expect(head.headers?.Allow).toBe('POST');
    expect(head.body).toBeUndefined();
  });
});

describe('If-None-Match on a GET that answers an ETag', () => {
  const withHeader = (method: string, value: string): HttpEvent => ({ ...event(method, '/v1/versioned'), headers: { 'If-None-Match': value } }) as HttpEvent;

  it.each(['"3"', 'W/"3"', '"1", W/"3"', '*', ' "9" ,"3" '])('%s → 304 with the ETag and the caching headers, no body', async (value) => {
    const res = await handler(withHeader('GET', value));
    expect(res.statusCode).toBe(304);
    expect(res.headers).toEqual({ ETag: '"3"', 'Cache-Control': 'no-cache' });
    expect(res.body).toBeUndefined();
  });

  it.each(['"2"', 'W/"33"', '"x3"'])('%s → 200', async (value) => {
    expect((await handler(withHeader('GET', value))).statusCode).toBe(200);
  });

  it.each(['3', '"3', '*, "3"'])('malformed %s → 400 naming the header', async (value) => {
    const res = await handler(withHeader('GET', value));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body as string).errors).toEqual([{ path: 'If-None-Match', message: expect.any(String) }]);
  });
});

describe('a command that takes no body', () => {
  it.each([
    ['text/plain', 'go', 415],
    ['application/json', '{"go":', 400],
    ['application/json', '{}', 200],
    [undefined, undefined, 200],
  ])('sent %s %j → %s', async (type, body, status) => {
    expect((await handler(event('POST', '/v1/activate', body, type))).statusCode).toBe(status);
  });
});
