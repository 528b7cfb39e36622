import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { processActions } from './process-actions.js';

/** Lambda entry of the process-actions consumer (an EventBridge rule target). */
export const handler = consumerLambda(processActions, { subscriptions });
