import { CONSOLE_SCRIPT } from '../console/console-bundle.generated.js';
import { CONSOLE_CSS, CONSOLE_HTML } from '../console/page.js';
import { implement, text } from '../../shared/http/operation.js';
import { systemRoutes } from './routes.js';

/** Only our own script and stylesheet run on the page; it talks to this API alone. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
const ASSET_CACHE = 'public, max-age=300';

export const consolePageOperation = implement(systemRoutes.console, async () => text(200, CONSOLE_HTML, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }));
export const consoleScriptOperation = implement(systemRoutes.consoleScript, async () => text(200, CONSOLE_SCRIPT, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': ASSET_CACHE }));
export const consoleStylesOperation = implement(systemRoutes.consoleStyles, async () => text(200, CONSOLE_CSS, { 'content-type': 'text/css; charset=utf-8', 'cache-control': ASSET_CACHE }));
