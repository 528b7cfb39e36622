import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); without it, browser tests are skipped locally and fail in CI. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Where the console's browser tests save their screenshots (gitignored). */
export const SHOTS = fileURLToPath(new URL('../e2e/console/__screenshots__/', import.meta.url));

/** Headless Chromium with one page; a page error fails the test. */
export const launchChromium = async (context: { locale?: string; timezoneId?: string } = {}): Promise<{ browser: Browser; page: Page }> => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, ...context });
  page.on('pageerror', (error) => {
    throw error;
  });
  return { browser, page };
};

/** Numbered full-page screenshots: `<prefix>NN-<name>.png` under SHOTS. */
export const screenshotter = (page: () => Page, prefix = '') => {
  mkdirSync(SHOTS, { recursive: true });
  let shot = 0;
  return async (name: string): Promise<string> => {
    shot += 1;
    const path = join(SHOTS, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`);
    await page().screenshot({ path, fullPage: true });
    return path;
  };
};

/** What went wrong on a page since the last look: console errors, failed requests (network errors and HTTP ≥ 400). */
export interface PageTrouble {
  consoleErrors: string[];
  failedRequests: string[];
}

/**
 * Watches a page for console errors and failed requests; `take()` returns what happened since the last
 * call. `idle()` waits until the page has no request in flight (a test that navigates away first, e.g.
 * reloads, would otherwise see the page's own reads aborted by the navigation, net::ERR_ABORTED).
 */
export const watchPage = (page: Page): { take: () => PageTrouble; idle: (timeoutMs?: number) => Promise<void> } => {
  let trouble: PageTrouble = { consoleErrors: [], failedRequests: [] };
  const inFlight = new Set<unknown>();
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.consoleErrors.push(message.text());
  });
  page.on('request', (request) => inFlight.add(request));
  page.on('requestfinished', (request) => inFlight.delete(request));
  page.on('requestfailed', (request) => {
    inFlight.delete(request);
    trouble.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) trouble.failedRequests.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
  });
  return {
    take: () => {
      const seen = trouble;
      trouble = { consoleErrors: [], failedRequests: [] };
      return seen;
    },
    idle: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      // Quiet for 200 ms: a read that starts another (a list, then its records' names) counts as one.
      for (let quietSince = Date.now(); Date.now() - quietSince < 200; await new Promise((r) => setTimeout(r, 25))) {
        if (inFlight.size > 0) quietSince = Date.now();
        if (Date.now() > deadline) throw new Error(`The page still had ${inFlight.size} request(s) in flight after ${timeoutMs} ms`);
      }
    },
  };
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (its source is evaluated in the page, which the page's CSP does not govern). */
export const seriousA11yViolations = async (page: Page): Promise<Array<{ id: string; impact: string; help: string; targets: string[] }>> => {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
};
