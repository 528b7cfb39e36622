import { defineEvent } from './define-event.js';
import { MembershipEventDataSchema } from './team-common.js';

export const teamAdminRevoked = defineEvent({
  name: 'team.admin-revoked',
  version: 1,
  description: "The org admin took back a team admin's rights: they are a member now, and only an org admin may make them admin again.",
  schema: MembershipEventDataSchema,
});
