import { eventsService } from './events/index.js';
import type { LocalServiceFactory } from './local-cloud.js';

/** The local cloud's parts beyond DynamoDB, SES and the API, in start order. */
export const localServiceFactories: LocalServiceFactory[] = [eventsService()];
