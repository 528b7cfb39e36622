/** The team-space, requester and request events (CRM for Everyone), registered in index.ts as one group. */
import type { EventDefinition } from './define-event.js';
import { moduleAssignmentRulesChanged } from './module-assignment-rules-changed.js';
import { requestAssigned } from './request-assigned.js';
import { requestCommented } from './request-commented.js';
import { requestStatusChanged } from './request-status-changed.js';
import { requestSubmitted } from './request-submitted.js';
import { teamAdminRevoked } from './team-admin-revoked.js';
import { teamCreated } from './team-created.js';
import { teamMemberAdded } from './team-member-added.js';
import { teamMemberRemoved } from './team-member-removed.js';
import { teamMemberRoleChanged } from './team-member-role-changed.js';
import { teamRequesterGranted } from './team-requester-granted.js';
import { teamRequesterRevoked } from './team-requester-revoked.js';
import { teamTabsChanged } from './team-tabs-changed.js';

export {
  moduleAssignmentRulesChanged,
  requestAssigned,
  requestCommented,
  requestStatusChanged,
  requestSubmitted,
  teamAdminRevoked,
  teamCreated,
  teamMemberAdded,
  teamMemberRemoved,
  teamMemberRoleChanged,
  teamRequesterGranted,
  teamRequesterRevoked,
  teamTabsChanged,
};

export const teamEvents: readonly EventDefinition[] = [
  teamCreated,
  teamTabsChanged,
  teamMemberAdded,
  teamMemberRoleChanged,
  teamMemberRemoved,
  teamAdminRevoked,
  teamRequesterGranted,
  teamRequesterRevoked,
  moduleAssignmentRulesChanged,
  requestSubmitted,
  requestStatusChanged,
  requestAssigned,
  requestCommented,
];
