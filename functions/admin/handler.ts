import { depsFromEnv } from '../../shared/adapters/deps.js';
import { createEventBridgeClient, eventBridgeReplayer } from '../../shared/adapters/eventbridge.js';
import { parseEnv } from '../../shared/config/env.js';
import { createAreaHandler } from '../../shared/http/area-handler.js';
import { adminOperations } from './operations.js';

const env = parseEnv();

/**
 * Lambda entry of the admin area: ports built once per cold start. Replays go back on the bus
 * (EVENT_BUS_NAME) as events addressed to one subscription; the function needs events:PutEvents on it.
 */
export const handler = createAreaHandler(
  adminOperations,
  depsFromEnv(env, { deadLetterReplayer: eventBridgeReplayer(createEventBridgeClient(env.AWS_REGION), env.EVENT_BUS_NAME) }),
);
