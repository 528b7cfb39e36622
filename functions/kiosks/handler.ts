import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { kiosksOperations } from './operations.js';

/** Lambda entry of the kiosks area: ports are built once per cold start; a bad environment fails it. */
export const handler = createAreaHandler(kiosksOperations, depsFromEnv(parseEnv()));
