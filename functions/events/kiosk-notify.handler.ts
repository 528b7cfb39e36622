import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { kioskNotify } from './kiosk-notify.js';

/** Lambda entry of the kiosk-notify consumer (an EventBridge rule target). */
export const handler = consumerLambda(kioskNotify, { subscriptions });
