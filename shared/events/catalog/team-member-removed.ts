import { defineEvent } from './define-event.js';
import { MembershipEventDataSchema } from './team-common.js';

export const teamMemberRemoved = defineEvent({
  name: 'team.member-removed',
  version: 1,
  description: 'A user left a team space (a permission change).',
  schema: MembershipEventDataSchema,
});
