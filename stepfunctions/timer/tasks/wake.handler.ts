import { observedTask } from '../../task-handler.js';
import { cadencePortsFromEnv } from '../../../shared/adapters/cadence-ports.js';
import { timerPorts } from '../../../shared/adapters/sfn.js';
import { depsFromEnv } from '../../../shared/adapters/deps.js';
import { parseEnv } from '../../../shared/config/env.js';
import { wake } from './wake.js';

const env = parseEnv();
// A wake that schedules the next wait only writes its item; the start-timer consumer opens its bucket.
const base = depsFromEnv(env);
// Cadence wakes send email: their settings and the unsubscribe signing key, read once per cold start.
// The timer port starts a bucket's next pass when one runs out of time (wake.ts runBucket).
const deps = { ...base, cadence: cadencePortsFromEnv(base), ...timerPorts(env) };

/** Lambda entry of the timer's Wake task (payload in, result out: CDK `payloadResponseOnly`). */
export const handler = observedTask('timer-wake', (input) => wake(deps, input));
