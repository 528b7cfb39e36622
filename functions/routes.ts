import type { RouteSpec } from '../shared/http/route-spec.js';
import { adminRoutes } from './admin/routes.js';
import { processesRoutes } from './processes/routes.js';
import { cadencesRoutes } from './cadences/routes.js';
import { automationRoutes } from './automation/routes.js';
import { kiosksRoutes } from './kiosks/routes.js';
import { recordsRoutes } from './records/routes.js';
import { recordViewRoutes } from './records/view-routes.js';
import { conversionRoutes } from './records/conversion-routes.js';
import { journeysRoutes } from './journeys/routes.js';
import { requestsRoutes } from './requests/routes.js';
import { systemRoutes } from './system/routes.js';
import { teamsRoutes } from './teams/routes.js';
import { usersRoutes } from './users/routes.js';
import { wizardsRoutes } from './wizards/routes.js';
import { shadowRoutes } from './shadow/routes.js';

/**
 * The one route table: CDK builds API Gateway routes (and one Lambda per area) from it, the local API
 * server matches requests with it, and the OpenAPI document is generated from its schemas.
 */
export const routes: readonly RouteSpec[] = [
  ...Object.values(systemRoutes),
  ...Object.values(usersRoutes),
  ...Object.values(recordsRoutes),
  ...Object.values(recordViewRoutes),
  ...Object.values(conversionRoutes),
  ...Object.values(teamsRoutes),
  ...Object.values(requestsRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(processesRoutes),
  ...Object.values(cadencesRoutes),
  ...Object.values(journeysRoutes),
  ...Object.values(automationRoutes),
  ...Object.values(wizardsRoutes),
  ...Object.values(kiosksRoutes),
  ...Object.values(shadowRoutes),
] as RouteSpec[];
