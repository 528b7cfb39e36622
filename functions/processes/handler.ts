import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { processesOperations } from './operations.js';

/** Lambda entry of the processes area (blueprints, approvals, reviews): ports built once per cold start. */
export const handler = createAreaHandler(processesOperations, depsFromEnv(parseEnv()));
