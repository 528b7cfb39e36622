import type { BundledFile } from '../../shared/adapters/bundled-file.js';
import { readBundledFile } from '../../shared/adapters/bundled-file.js';
import { implement, text } from '../../shared/http/operation.js';
import { systemRoutes } from './routes.js';

/** Redoc's standalone build (no CDN): shipped with the system Lambda, served by our own route. */
export const REDOC_SCRIPT: BundledFile = { module: 'redoc/bundles/redoc.standalone.js', bundlePath: 'assets/redoc.standalone.js' };

/** The files the system area's Lambda bundle must carry (CDK copies them; see infra/constructs/app-function.ts). */
export const SYSTEM_BUNDLED_FILES: readonly BundledFile[] = [REDOC_SCRIPT];

/**
 * The reference page: Redoc rendering `/v1/openapi.json`, every script from this origin. Relative URLs
 * keep it working behind any base path (API Gateway stage, custom domain).
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keiro API reference</title>
<link rel="icon" href="../favicon.svg" type="image/svg+xml">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<div id="reference"></div>
<script src="docs/assets/redoc.standalone.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`;

/** Starts Redoc on the document; a separate file, so that a strict CSP (`script-src 'self'`) holds. */
export const DOCS_INIT_JS = `Redoc.init('openapi.json', { hideDownloadButton: false, expandResponses: '200,201', jsonSampleExpandLevel: 3 }, document.getElementById('reference'));\n`;

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'";
const SCRIPT_HEADERS = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' };

/** Redoc's attribution shows a logo it loads from Redocly's CDN; every page loads only from Keiro. */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
/** An empty image in its place (the "API docs by Redocly" link stays). */
const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/** Redoc's script with nothing in it that loads from another origin. */
export const selfContainedRedoc = (script: string): string => script.replaceAll(REDOC_CDN_LOGO, EMPTY_IMAGE);

let redocScript: string | undefined;

export const docsOperation = implement(systemRoutes.docs, async () => text(200, DOCS_HTML, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }));

export const docsInitOperation = implement(systemRoutes.docsInit, async () => text(200, DOCS_INIT_JS, SCRIPT_HEADERS));

/** Read once per container (about 1 MB) and kept. */
export const docsScriptOperation = implement(systemRoutes.docsScript, async () => {
  redocScript ??= selfContainedRedoc(readBundledFile(REDOC_SCRIPT));
  return text(200, redocScript, SCRIPT_HEADERS);
});
