import { defineEvent } from './define-event.js';
import { RequestEventDataSchema } from './team-common.js';

export const requestAssigned = defineEvent({
  name: 'request.assigned',
  version: 1,
  description: 'A request got another assignee (or none); previousAssigneeId is who had it.',
  schema: RequestEventDataSchema,
});
