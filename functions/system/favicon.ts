import { implement, text } from '../../shared/http/operation.js';
import { systemRoutes } from './routes.js';

/** Keiro's mark (経路, "route"): a path between two stops. Served by Keiro, so no page loads an icon from elsewhere. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1d2433"/>
<path d="M9 23 C9 14 23 18 23 9" stroke="#ffffff" stroke-width="3" fill="none" stroke-linecap="round"/>
<circle cx="9" cy="23" r="3.5" fill="#ffffff"/>
<circle cx="23" cy="9" r="3.5" fill="#1f6feb"/>
</svg>
`;

const HEADERS = { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' };

export const faviconOperation = implement(systemRoutes.favicon, async () => text(200, FAVICON_SVG, HEADERS));
export const faviconIcoOperation = implement(systemRoutes.faviconIco, async () => text(200, FAVICON_SVG, HEADERS));
