import { eventsService, type EventsServiceOptions } from './events/index.js';
import type { LocalServiceFactory } from './local-cloud.js';
import { stateMachinesService } from './state-machines.js';

/**
 * The local cloud's parts beyond DynamoDB, SES and the API, in start order (stopped in reverse):
 * the state-machine runner first, so the event router can start executions from the first event on.
 * `onRouter` sees the event router once it runs (npm start's readable log taps it).
 */
export const localServiceFactories = (options: Pick<EventsServiceOptions, 'onRouter'> = {}): LocalServiceFactory[] => {
  const stateMachines = stateMachinesService();
  return [stateMachines.factory, eventsService({ startStateMachine: stateMachines.startWorkflow, ...options })];
};
