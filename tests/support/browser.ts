import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); without it, browser tests are skipped locally and fail in CI. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Where the console's browser tests save their screenshots (gitignored). */
export const SHOTS = fileURLToPath(new URL('../e2e/console/__screenshots__/', import.meta.url));

/** Headless Chromium with one page; a page error fails the test. */
export const launchChromium = async (): Promise<{ browser: Browser; page: Page }> => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
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
