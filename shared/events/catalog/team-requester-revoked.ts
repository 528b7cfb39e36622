import { defineEvent } from './define-event.js';
import { RequesterEventDataSchema } from './team-common.js';

export const teamRequesterRevoked = defineEvent({
  name: 'team.requester-revoked',
  version: 1,
  description: 'A user is no longer a requester of a team module (a permission change).',
  schema: RequesterEventDataSchema,
});
