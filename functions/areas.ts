import type { Operation } from '../shared/http/operation.js';
import type { Area } from '../shared/http/route-spec.js';
import { adminOperations } from './admin/operations.js';
import { processesOperations } from './processes/operations.js';
import { cadencesOperations } from './cadences/operations.js';
import { journeysOperations } from './journeys/operations.js';
import { automationOperations } from './automation/operations.js';
import { kiosksOperations } from './kiosks/operations.js';
import { recordsOperations } from './records/operations.js';
import { requestsOperations } from './requests/operations.js';
import { systemOperations } from './system/operations.js';
import { teamsOperations } from './teams/operations.js';
import { usersOperations } from './users/operations.js';
import { wizardsOperations } from './wizards/operations.js';

/** Each area's operations: its Lambda (functions/<area>/handler.ts) and the local API server serve these. */
export const areaOperations: Partial<Record<Area, Operation[]>> = {
  system: systemOperations,
  users: usersOperations,
  records: recordsOperations,
  teams: teamsOperations,
  requests: requestsOperations,
  admin: adminOperations,
  processes: processesOperations,
  cadences: cadencesOperations,
  journeys: journeysOperations,
  automation: automationOperations,
  wizards: wizardsOperations,
  kiosks: kiosksOperations,
};
