import { cadencePortsFromEnv } from '../../shared/adapters/cadence-ports.js';
import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { cadencesOperations } from './operations.js';

const base = depsFromEnv(parseEnv());

/** Lambda entry of the cadences area: ports (and the unsubscribe signing key) built once per cold start. */
export const handler = createAreaHandler(cadencesOperations, { ...base, cadence: cadencePortsFromEnv(base) });
