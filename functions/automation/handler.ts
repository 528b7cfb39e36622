import { depsFromEnv } from '../../shared/adapters/deps.js';
import { shadowPorts } from '../../shared/adapters/sfn.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { automationOperations } from './operations.js';

const env = parseEnv();

/** Lambda entry of the automation area (tasks, notifications read, workflow rules, shadow runs): ports built once per cold start. */
export const handler = createAreaHandler(automationOperations, depsFromEnv(env, shadowPorts(env)));
