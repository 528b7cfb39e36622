import { defineEvent } from './define-event.js';
import { MembershipEventDataSchema } from './team-common.js';

export const teamMemberAdded = defineEvent({
  name: 'team.member-added',
  version: 1,
  description: 'A user joined a team space with a role (a permission change).',
  schema: MembershipEventDataSchema,
});
