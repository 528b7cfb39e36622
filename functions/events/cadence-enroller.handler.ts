import { cadencePortsFromEnv } from '../../shared/adapters/cadence-ports.js';
import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { createConsumerHandler } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { cadenceEnroller } from './cadence-enroller.js';

const base = depsFromEnv(parseEnv());

/** Lambda entry of the cadence-enroller consumer (record events → automatic enrollment and unenrollment). */
export const handler = createConsumerHandler(cadenceEnroller, { ...base, cadence: cadencePortsFromEnv(base) }, { subscriptions });
