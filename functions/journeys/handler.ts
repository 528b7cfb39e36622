import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { journeysOperations } from './operations.js';

/** Lambda entry of the journeys area: ports are built once per cold start; a bad environment fails it. */
export const handler = createAreaHandler(journeysOperations, depsFromEnv(parseEnv()));
