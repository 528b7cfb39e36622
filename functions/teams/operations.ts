import type { Operation } from '../../shared/http/operation.js';
import { removeTeamMemberOperation, revokeTeamAdminOperation, setTeamMemberOperation } from './members.js';
import { grantRequesterOperation, listRequestersOperation, revokeRequesterOperation } from './requesters.js';
import { createTeamModuleOperation, getAssignmentRulesOperation, putAssignmentRulesOperation } from './team-modules.js';
import { createTeamSpaceOperation, getTeamSpaceOperation, listTeamSpacesOperation, setTeamTabsOperation, teamHistoryOperation } from './team-spaces.js';

export const teamsOperations: Operation[] = [
  createTeamSpaceOperation,
  listTeamSpacesOperation,
  getTeamSpaceOperation,
  setTeamTabsOperation,
  teamHistoryOperation,
  setTeamMemberOperation,
  removeTeamMemberOperation,
  revokeTeamAdminOperation,
  createTeamModuleOperation,
  listRequestersOperation,
  grantRequesterOperation,
  revokeRequesterOperation,
  getAssignmentRulesOperation,
  putAssignmentRulesOperation,
];
