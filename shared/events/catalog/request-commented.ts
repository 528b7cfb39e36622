import { defineEvent } from './define-event.js';
import { RequestEventDataSchema } from './team-common.js';

export const requestCommented = defineEvent({
  name: 'request.commented',
  version: 1,
  description: 'Someone in the team commented on a request without changing its status.',
  schema: RequestEventDataSchema,
});
