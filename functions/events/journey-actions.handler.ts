import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { journeyActions } from './journey-actions.js';

/** Lambda entry of the journey-actions consumer (an EventBridge rule target). */
export const handler = consumerLambda(journeyActions, { subscriptions });
