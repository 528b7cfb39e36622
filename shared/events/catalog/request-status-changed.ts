import { defineEvent } from './define-event.js';
import { RequestEventDataSchema } from './team-common.js';

export const requestStatusChanged = defineEvent({
  name: 'request.status-changed',
  version: 1,
  description: 'The team moved a request to another status; previousStatus is where it was, comment what they said. The requester is notified.',
  schema: RequestEventDataSchema,
});
