import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { AREA_BUNDLED_FILES } from '../../functions/bundled-files.js';
import { bundledFileHooks, ESM_REQUIRE_BANNER, REPO_ROOT } from '../../infra/constructs/app-function.js';

/**
 * The API reference must work in the Lambda bundle, where there is no node_modules: bundle the system
 * area as CDK does (esbuild, ESM, the same banner), run the same afterBundling hook, then call the
 * bundled handler for the reference page's script.
 */
describe('the system Lambda bundle carries the API reference', () => {
  it('serves /v1/docs and its scripts from the bundle alone', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'keiro-bundle-'));
    await build({
      entryPoints: [path.join(REPO_ROOT, 'functions/system/handler.ts')],
      outfile: path.join(out, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'silent',
    });
    const files = AREA_BUNDLED_FILES.system ?? [];
    expect(files.length).toBeGreaterThan(0);
    for (const command of bundledFileHooks(files).afterBundling(REPO_ROOT, out)) execSync(command);

    process.env.TABLE_NAME ??= 'keiro-bundle-test';
    const { handler } = (await import(pathToFileURL(path.join(out, 'index.mjs')).href)) as { handler: (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }> };
    const get = (p: string) =>
      handler({ version: '2.0', routeKey: `GET ${p}`, rawPath: p, rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: p }, requestId: 'bundle-test' } });
    const page = await get('/v1/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await get('/v1/docs/assets/redoc.standalone.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('Redoc');
  });
});
