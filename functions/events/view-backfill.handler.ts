import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { viewBackfill } from './view-backfill.js';

/** Lambda entry of the view-backfill consumer (an EventBridge rule target). */
export const handler = consumerLambda(viewBackfill, { subscriptions });
