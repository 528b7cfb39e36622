import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { areaOperations } from '../../functions/areas.js';
import { devOperations, devRoutes } from '../../functions/cadences/dev.js';
import { routes } from '../../functions/routes.js';
import { systemDevOperations, systemDevRoutes } from '../../functions/system/dev.js';
import type { CadencePorts } from '../../shared/config/cadence.js';
import type { Operation } from '../../shared/http/operation.js';
import type { Area, RouteSpec } from '../../shared/http/route-spec.js';

const KEY_FILE = 'unsubscribe-key';

/** The local unsubscribe signing key: 32 random bytes made on first start under KEIRO_HOME. */
export const loadOrCreateUnsubscribeKey = (home: string): Uint8Array => {
  const file = join(home, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(home, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
};

/** Cadence ports of the local cloud; `publicApiUrl` is set once the API listens, `devBus` by the events service. */
export const localCadencePorts = (home: string, overrides: Partial<CadencePorts> = {}): CadencePorts => {
  const unsubscribeKey = loadOrCreateUnsubscribeKey(home);
  return {
    unsubscribeKey: () => Promise.resolve(unsubscribeKey),
    publicApiUrl: 'http://127.0.0.1:3000',
    inboundDomain: 'reply.keiro.example',
    orgTimeZone: process.env.ORG_TIME_ZONE ?? 'Asia/Tokyo',
    sendRatePerSecond: Number(process.env.SES_SEND_RATE ?? 50),
    sendersStartedAt: Date.now(),
    ...overrides,
  };
};

/** The local API's routes: the deployed table plus the dev-only routes (never deployed). */
export const localRoutes: readonly RouteSpec[] = [...routes, ...(Object.values(devRoutes) as RouteSpec[]), ...(Object.values(systemDevRoutes) as RouteSpec[])];

/** The local API's operations per area, with the dev-only ones. */
export const localAreaOperations: Partial<Record<Area, Operation[]>> = {
  ...areaOperations,
  cadences: [...(areaOperations.cadences ?? []), ...devOperations],
  system: [...(areaOperations.system ?? []), ...systemDevOperations],
};
