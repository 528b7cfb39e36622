import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_BUNDLE_MODULE, buildConsoleScript, consoleBundleModule } from '../../../infra/console/bundle.js';
import { CONSOLE_HTML } from '../../../functions/console/page.js';

describe('the console bundle', () => {
  it('is what a fresh build of functions/console/ui gives (run `npm run build:console` after changing the UI)', async () => {
    const fresh = consoleBundleModule(await buildConsoleScript());
    expect(readFileSync(CONSOLE_BUNDLE_MODULE, 'utf8') === fresh, 'functions/console/console-bundle.generated.ts is stale: run npm run build:console').toBe(true);
  }, 60_000);

  it('loads only same-origin, relative assets (no CDN, any base path)', () => {
    const urls = [...CONSOLE_HTML.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    // The icon is Keiro's own (/favicon.svg beside /console), so nothing comes from elsewhere.
    expect(urls).toEqual(['favicon.svg', 'console/console.css', 'console/app.js']);
  });
});
