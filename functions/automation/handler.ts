import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { automationOperations } from './operations.js';

/** Lambda entry of the automation area (tasks, notifications read, workflow rules): ports built once per cold start. */
export const handler = createAreaHandler(automationOperations, depsFromEnv(parseEnv()));
