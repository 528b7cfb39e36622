import { webhookPorts } from '../../shared/adapters/webhooks.js';
import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { kioskWebhook } from './kiosk-webhook.js';

/** Lambda entry of the kiosk-webhook consumer (an EventBridge rule target). */
export const handler = consumerLambda(kioskWebhook, { subscriptions, ports: webhookPorts });
