import { defineEvent } from './define-event.js';
import { RequesterEventDataSchema } from './team-common.js';

export const teamRequesterGranted = defineEvent({
  name: 'team.requester-granted',
  version: 1,
  description: 'A user became a requester of a team module (a permission change).',
  schema: RequesterEventDataSchema,
});
