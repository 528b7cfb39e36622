import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

/** The rendered API reference, served by the API itself: no CDN, scripts from our own routes. */
describe('GET /v1/docs', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi({ seed: false });
  });
  afterAll(async () => api?.close());

  it('answers 200 text/html without auth, and every script it loads is same-origin and served by us as JS', async () => {
    const page = await fetch(`${api.baseUrl}/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, 'no inline script (CSP)').toMatch(/\bsrc="/);
    const sources = scripts.map((tag) => /\bsrc="([^"]+)"/.exec(tag)?.[1] as string);
    // No scheme, no protocol-relative URL: everything from this origin.
    for (const src of sources) expect(src).not.toMatch(/^(?:[a-z]+:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of sources) {
      const script = await fetch(new URL(src, `${api.baseUrl}/v1/docs`));
      expect(script.status, src).toBe(200);
      expect(script.headers.get('content-type'), src).toMatch(/^text\/javascript/);
      expect((await script.text()).length).toBeGreaterThan(10);
    }
    const redoc = await (await fetch(`${api.baseUrl}/v1/docs/assets/redoc.standalone.js`)).text();
    expect(redoc).toContain('Redoc');
    expect(redoc.length).toBeGreaterThan(500_000);
  });

  it('is in the route table, so the OpenAPI document (and CDK) has it', async () => {
    const doc = (await api.call(null, 'GET', '/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/docs', '/v1/docs/assets/redoc.standalone.js', '/v1/docs/assets/init.js']));
    expect(doc.paths['/v1/docs'].get.security).toEqual([]);
  });

  it.runIf(existsSync(CHROMIUM))('renders in a headless browser (the operations appear in the page)', async () => {
    const { stdout } = await run(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=15000', '--dump-dom', `${api.baseUrl}/v1/docs`], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    // Only Redoc, having fetched /v1/openapi.json, puts the operations' summaries in the page.
    expect(stdout).toContain('Liveness');
    expect(stdout).toContain('Create a team space with its first members');
  }, 90_000);
});
