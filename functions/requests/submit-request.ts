import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideRequestSubmit, HANDLING_ROLES } from '../../shared/domain/access/index.js';
import { pickRoundRobin, planAssignment } from '../../shared/domain/teams/assignment.js';
import { requestFormFields } from '../../shared/domain/teams/requests.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import { submitRequest } from '../../shared/db/request-writes.js';
import { toRequestView } from '../../shared/db/requests-repo.js';
import { getTeamModuleConfig, takeRoundRobinTicket } from '../../shared/db/team-module-config-repo.js';
import { listMembers } from '../../shared/db/teams-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { loadTeamModule } from '../teams/team-access.js';
import { requestsRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Invalid } from '../../shared/domain/errors.js';

/** The module's assignment rules applied to a new request; a round-robin turn is taken only when needed. */
const assign = async (deps: AppDeps, module: TeamModule, fields: FieldValues): Promise<string | undefined> => {
  const [config, members] = await Promise.all([getTeamModuleConfig(deps, module.name), listMembers(deps, module.ownerTeamId)]);
  const handlers = members.filter((m) => HANDLING_ROLES.includes(m.role)).map((m) => m.userId);
  const plan = planAssignment(config.assignment, fields, handlers, deps.clock());
  if (plan.kind === 'user') return plan.userId;
  if (plan.kind === 'round-robin') return pickRoundRobin(plan.pool, await takeRoundRobinTicket(deps, module.name));
  return undefined;
};

/**
 * Submit a request to a team module.
 * 1. The caller may submit to the module: its requesters, the team's handlers, org admins (a
 *    participant 403; anyone else 404, as if the module did not exist).
 * 2. The fields are the module's form fields (no system fields), validated as a record create (400).
 * 3. The module's assignment rules pick the assignee (criteria, then round-robin / one user / none).
 * 4. One transaction: the team module record (status Submitted), its locator, and the record.created
 *    and request.submitted history entries. The request IS that record: the team sees it in list,
 *    kanban and chart views.
 */
export const submitRequestOperation = implement(requestsRoutes.submitRequest, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideRequestSubmit(principal, module), `No team module ${module.name}`);
  const { values, errors } = validateFieldValues({ fields: requestFormFields(module.fields) }, req.body.fields, 'create', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid request fields', errors);
  const fields = values as FieldValues;
  const assigneeId = await assign(deps, module, fields);
  const { record, locator } = await submitRequest(
    deps,
    module,
    { id: deps.newId(), requesterId: principal.userId, ...(assigneeId ? { assigneeId } : {}), fields },
    changeContext(req, deps),
  );
  return json(201, toRequestView(record, locator), { ETag: etag(record.version), Location: `/v1/my-requests/${record.id}` });
});
