import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { journeyRouter } from './journey-router.js';

/** Lambda entry of the journey-router consumer (an EventBridge rule target). */
export const handler = consumerLambda(journeyRouter, { subscriptions });
