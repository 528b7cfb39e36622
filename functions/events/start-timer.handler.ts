import { timerPorts } from '../../shared/adapters/sfn.js';
import { consumerLambda } from '../../shared/events/consumer-lambda.js';
import { subscriptions } from '../subscriptions.js';
import { startTimerConsumer } from './start-timer.js';

/** Lambda entry of the start-timer consumer (an EventBridge rule target). */
export const handler = consumerLambda(startTimerConsumer, { subscriptions, ports: timerPorts });
