import { eventsService } from './events/index.js';
import type { LocalServiceFactory } from './local-cloud.js';
import { stateMachinesService } from './state-machines.js';

const stateMachines = stateMachinesService();

/**
 * The local cloud's parts beyond DynamoDB, SES and the API, in start order (stopped in reverse):
 * the state-machine runner first, so the event router can start executions from the first event on.
 */
export const localServiceFactories: LocalServiceFactory[] = [stateMachines.factory, eventsService({ startStateMachine: stateMachines.startWorkflow })];
