import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfContainedRedoc } from '../../../functions/system/docs.js';
import { hasChromium, launchChromium } from '../../support/browser.js';
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
    // Redoc's attribution logo would come from Redocly's CDN; the served script names no CDN image.
    expect(redoc).not.toContain('cdn.redoc.ly');
  });

  it('replaces the CDN logo of the script as installed, and nothing else of it', async () => {
    const installed = 'n.createElement("img",{alt:"redocly logo",src:"https://cdn.redoc.ly/redoc/logo-mini.svg"}),"API docs by Redocly"';
    const served = selfContainedRedoc(installed);
    expect(served).not.toContain('https://');
    expect(served).toContain('src:"data:image/svg+xml,');
    expect(served.replace(/src:"[^"]*"/, '')).toBe(installed.replace(/src:"[^"]*"/, ''));
  });

  it.skipIf(!hasChromium && !process.env.CI)('loads in Chromium with no console error, no failed request, and nothing from another origin', async () => {
    const { browser, page } = await launchChromium();
    try {
      const problems: string[] = [];
      const origins = new Set<string>();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('request', (request) => {
        if (!request.url().startsWith('data:')) origins.add(new URL(request.url()).origin);
      });
      page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
      });
      await page.goto(`${api.baseUrl}/v1/docs`, { waitUntil: 'networkidle' });
      await page.getByText('Create a team space with its first members').first().waitFor({ state: 'attached' });
      // The attribution (with the image that used to come from the CDN) is rendered once mounted.
      await page.getByText('API docs by Redocly').waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
      expect([...origins]).toEqual([new URL(api.baseUrl).origin]);
      const icon = await page.evaluate(async () => {
        const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
        return link ? (await fetch(link.href)).status : 0;
      });
      expect(icon).toBe(200);
    } finally {
      await browser.close();
    }
  }, 90_000);

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
