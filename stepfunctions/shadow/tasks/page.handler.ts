import { observedTask } from '../../task-handler.js';
import { depsFromEnv } from '../../../shared/adapters/deps.js';
import { parseEnv } from '../../../shared/config/env.js';
import { shadowTask } from './page.js';

const deps = depsFromEnv(parseEnv());

/** Lambda entry of the shadow run's page task (payload in, result out: CDK `payloadResponseOnly`). */
export const handler = observedTask('shadow-page', (input) => shadowTask(deps, input));
