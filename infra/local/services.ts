import { eventsService, type EventsServiceOptions } from './events/index.js';
import type { LocalServiceFactory } from './local-cloud.js';
import { stateMachinesService, type StateMachinesObserver } from './state-machines.js';

/**
 * The local cloud's parts beyond DynamoDB, SES and the API, in start order (stopped in reverse):
 * the state-machine runner first, so the event router can start executions from the first event on.
 * `onRouter` sees the event router once it runs (npm start's readable log taps it); `onInvoke` hears each
 * Lambda invocation (consumers, state-machine tasks) and `onExecution` each execution started (the bench's bill).
 */
export const localServiceFactories = (options: Pick<EventsServiceOptions, 'onRouter' | 'onInvoke'> & Pick<StateMachinesObserver, 'onExecution'> = {}): LocalServiceFactory[] => {
  const { onExecution, ...events } = options;
  const stateMachines = stateMachinesService(undefined, { ...(options.onInvoke ? { onInvoke: options.onInvoke } : {}), ...(onExecution ? { onExecution } : {}) });
  return [stateMachines.factory, eventsService({ startStateMachine: stateMachines.startWorkflow, ...events })];
};
