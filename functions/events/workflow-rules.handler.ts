import { webhookPorts } from '../../shared/adapters/webhooks.js';
import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { workflowRulesConsumer } from './workflow-rules.js';

/** Lambda entry of the workflow-rules consumer: runs actions (webhooks when signed) and schedules date triggers (timer items only: the start-timer consumer opens their buckets). */
export const handler = consumerLambda(workflowRulesConsumer, { subscriptions, ports: webhookPorts });
