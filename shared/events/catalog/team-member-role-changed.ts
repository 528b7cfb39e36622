import { defineEvent } from './define-event.js';
import { MembershipEventDataSchema } from './team-common.js';

export const teamMemberRoleChanged = defineEvent({
  name: 'team.member-role-changed',
  version: 1,
  description: 'A team member got another role (a permission change).',
  schema: MembershipEventDataSchema,
});
