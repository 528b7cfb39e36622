import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { cadenceEmailEvents } from './cadence-email-events.js';

/** Lambda entry of the cadence-email-events consumer (SES events forwarded to the keiro bus). */
export const handler = consumerLambda(cadenceEmailEvents, { subscriptions });
