import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { notifyRequester } from './notify-requester.js';

/** Lambda entry of the notify-requester consumer (an EventBridge rule target). */
export const handler = consumerLambda(notifyRequester, { subscriptions });
