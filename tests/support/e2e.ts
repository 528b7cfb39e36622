import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { areaOperations } from '../../functions/areas.js';
import { routes } from '../../functions/routes.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { createLocalApi, type LocalApi } from '../../infra/local/api-server.js';
import { localDevRoutes } from '../../infra/local/dev-routes.js';
import { loadOrCreateKeys, signToken, type LocalKeys } from '../../infra/local/auth-keys.js';
import { seedDemo } from '../../infra/local/seed.js';
import { localAreaOperations, localCadencePorts, localRoutes } from '../../infra/local/cadence-local.js';
import { groupsFor } from '../../infra/local/seed-users.js';
import { createTestDeps } from './local-cloud.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface E2eApi {
  baseUrl: string;
  deps: AppDeps;
  keys: LocalKeys;
  /** A token exactly as `npm run token -- <userId>` prints it. */
  tokenFor: (userId: string) => Promise<string>;
  /** Calls the API as `userId` (or anonymously with null). */
  call: <T = any>(userId: string | null, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }) => Promise<ApiResponse<T>>;
  close: () => Promise<void>;
}

/**
 * Starts the local API in-process on port 0 over a fresh table with the demo seed, as `npm start`
 * would, and talks HTTP to it as a front-end does.
 */
export const startE2eApi = async (options: { seed?: boolean; deps?: Partial<AppDeps>; devOnlyRoutes?: boolean } = {}): Promise<E2eApi> => {
  const deps = await createTestDeps(options.deps);
  // As npm start does: the cadence ports (unsubscribe key, public URL) under a home of its own.
  deps.cadence ??= localCadencePorts(mkdtempSync(join(tmpdir(), 'keiro-e2e-cadence-')));
  if (options.seed ?? true) await seedDemo(deps);
  const keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'keiro-e2e-')));
  // `devOnlyRoutes`: also the local API's dev-only operations (`/v1/dev/…`), as npm start serves them.
  const api: LocalApi = createLocalApi({ deps, routes: options.devOnlyRoutes ? localRoutes : routes, areas: options.devOnlyRoutes ? localAreaOperations : areaOperations, keys, devRoutes: localDevRoutes(keys) });
  const baseUrl = await api.listen(0);
  const tokens = new Map<string, string>();
  const tokenFor = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups: groupsFor(userId) }));
    return tokens.get(userId) as string;
  };
  const call: E2eApi['call'] = async (userId, method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (userId) headers.authorization = `Bearer ${await tokenFor(userId)}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: body as any };
  };
  return { baseUrl, deps, keys, tokenFor, call, close: api.close };
};
