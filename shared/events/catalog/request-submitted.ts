import { defineEvent } from './define-event.js';
import { RequestEventDataSchema } from './team-common.js';

export const requestSubmitted = defineEvent({
  name: 'request.submitted',
  version: 1,
  description: 'A requester submitted a request to a team module (the request is a record of that module; record.created goes with it).',
  schema: RequestEventDataSchema,
});
