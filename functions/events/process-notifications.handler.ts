import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { processNotifications } from './process-notifications.js';

/** Lambda entry of the process-notifications consumer (an EventBridge rule target). */
export const handler = consumerLambda(processNotifications, { subscriptions });
