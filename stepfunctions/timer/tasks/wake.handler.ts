import { depsFromEnv } from '../../../shared/adapters/deps.js';
import { timerPorts } from '../../../shared/adapters/sfn.js';
import { parseEnv } from '../../../shared/config/env.js';
import { wake } from './wake.js';

const env = parseEnv();
const deps = depsFromEnv(env, timerPorts(env));

/** Lambda entry of the timer's Wake task (payload in, result out: CDK `payloadResponseOnly`). */
export const handler = async (input: unknown) => wake(deps, input);
