import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** What a newcomer types first: the host's root, the API's root, the health check, and the icon a browser asks for. */
describe('the front door', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi({ seed: false, deps: { timeScale: () => 3600 } });
  });
  afterAll(async () => api?.close());

  it('GET / redirects to the console, which answers', async () => {
    const res = await fetch(`${api.baseUrl}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location') as string;
    expect(new URL(location, `${api.baseUrl}/`).href).toBe(`${api.baseUrl}/console`);
    const followed = await fetch(`${api.baseUrl}/`);
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${api.baseUrl}/console`);
    expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('GET /v1 lists where to go, and every link answers (the caller\'s own record needs a token)', async () => {
    const res = await api.call(null, 'GET', '/v1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Keiro API',
      links: { reference: '/v1/docs', openapi: '/v1/openapi.json', health: '/v1/health', me: '/v1/me', console: '/console' },
    });
    for (const [name, path] of Object.entries(res.body.links as Record<string, string>)) {
      const link = await fetch(`${api.baseUrl}${path}`);
      expect(link.status, name).toBe(name === 'me' ? 401 : 200);
    }
  });

  it('GET /v1/health says the cloud\'s time scale', async () => {
    const res = await api.call(null, 'GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', timeScale: 3600 });
  });

  it('serves its own icon, and the console and the reference point at it', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await fetch(`${api.baseUrl}${path}`);
      expect(icon.status, path).toBe(200);
      expect(icon.headers.get('content-type'), path).toBe('image/svg+xml');
      expect(await icon.text(), path).toMatch(/^<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
    for (const page of ['/console', '/v1/docs']) {
      const html = await (await fetch(`${api.baseUrl}${page}`)).text();
      const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
      expect(href, page).toBeDefined();
      expect(new URL(href as string, `${api.baseUrl}${page}`).href, page).toBe(`${api.baseUrl}/favicon.svg`);
    }
  });

  it('the routes are in the route table, public, so the OpenAPI document and CDK have them', async () => {
    const doc = (await api.call(null, 'GET', '/v1/openapi.json')).body;
    for (const path of ['/', '/v1', '/favicon.svg', '/favicon.ico']) expect(doc.paths[path]?.get?.security, path).toEqual([]);
    expect(doc.paths['/v1/health'].get.responses['200'].content['application/json'].schema.required).toEqual(['status', 'timeScale']);
  });

  it('an unknown path is still a 404 problem, not the front door', async () => {
    const res = await api.call(null, 'GET', '/v2');
    expect(res.status).toBe(404);
  });
});
