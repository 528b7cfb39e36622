import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideRequestSubmit, HANDLING_ROLES } from '../../shared/domain/access/index.js';
import { pickRoundRobin, planAssignment } from '../../shared/domain/teams/assignment.js';
import { requestFormFields } from '../../shared/domain/teams/requests.js';
import { composeRequestId } from '../../shared/domain/teams/request-id.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import { teamKeys } from '../../shared/db/keys.js';
import { LOST_RACE_ATTEMPTS, retryLostRace } from '../../shared/db/lost-race.js';
import { submitRequest } from '../../shared/db/request-writes.js';
import { toRequestView } from '../../shared/db/requests-repo.js';
import { getTeamModuleConfig, roundRobinTurn, teamModuleConfigFromItem, type TeamModuleConfig } from '../../shared/db/team-module-config-repo.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { listMembers } from '../../shared/db/teams-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { loadTeamModule } from '../teams/team-access.js';
import { requestsRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Conflict, Invalid } from '../../shared/domain/errors.js';

/** The team's current admins, managers and members, read once per request (only when the rules name or pick people). */
const handlersOnce = (deps: AppDeps, module: TeamModule) => {
  let read: Promise<string[]> | undefined;
  return () => (read ??= listMembers(deps, module.ownerTeamId).then((members) => members.filter((m) => HANDLING_ROLES.includes(m.role)).map((m) => m.userId)));
};

/** The module's assignment rules applied to a new request; a round-robin pick comes with the write that takes its turn. */
const assign = async (deps: AppDeps, module: TeamModule, config: TeamModuleConfig, fields: FieldValues, handlers: () => Promise<string[]>): Promise<{ assigneeId?: string; turn?: TransactItem }> => {
  const rules = config.assignment;
  if (rules.criteria.length === 0 && rules.otherwise.kind === 'none') return {};
  const plan = planAssignment(rules, fields, await handlers(), deps.clock());
  if (plan.kind === 'user') return { assigneeId: plan.userId };
  if (plan.kind === 'none') return {};
  const { ticket, write } = roundRobinTurn(deps, module.name, config);
  const assigneeId = pickRoundRobin(plan.pool, ticket);
  return { ...(assigneeId ? { assigneeId } : {}), turn: write };
};

/**
 * Submit a request to a team module, in 3 round trips.
 * 1. One BatchGetItem (loadTeamModule): the caller, the module, the caller's grants in it (never cached),
 *    its process state and its config (assignment rules, round-robin position). The caller may submit:
 *    its requesters, the team's handlers, org admins (a participant 403; anyone else 404).
 * 2. The fields are the module's form fields (no system fields), validated as a record create (400).
 * 3. The module's assignment rules pick the assignee (criteria, then round-robin / one user / none); the
 *    team's handlers are read (one Query) only when the rules name or pick people.
 * 4. One transaction: the team module record (status Submitted), its locator, the record.created and
 *    request.submitted history entries, and the round-robin turn taken. A turn taken meanwhile by a
 *    concurrent submit fails that write's condition: the position is read again and the next turn taken.
 *    The request IS that record: the team sees it in list, kanban and chart views.
 */
export const submitRequestOperation = implement(requestsRoutes.submitRequest, async (req, deps) => {
  const { principal, module, processes, extra } = await loadTeamModule(req, deps, req.params.module, { processes: true, extra: [teamKeys.moduleConfigKey(req.params.module)] });
  enforce(decideRequestSubmit(principal, module), `No team module ${module.name}`);
  const { values, errors } = validateFieldValues({ fields: requestFormFields(module.fields) }, req.body.fields, 'create', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid request fields', errors);
  const fields = values as FieldValues;
  const handlers = handlersOnce(deps, module);
  const id = composeRequestId(deps.newId(), module.name);
  const ctx = changeContext(req, deps);
  const { record, locator } = await retryLostRace(
    // What the batch read serves the first attempt only; a retry reads the position (and the process state) again.
    async (attempt) => (attempt === 1 ? { config: teamModuleConfigFromItem(extra[0]), processes } : { config: await getTeamModuleConfig(deps, module.name), processes: undefined }),
    async ({ config, processes: read }) => {
      const { assigneeId, turn } = await assign(deps, module, config, fields, handlers);
      return submitRequest(deps, module, { id, requesterId: principal.userId, ...(assigneeId ? { assigneeId } : {}), fields }, ctx, { ...(read ? { processes: read } : {}), ...(turn ? { turn } : {}) });
    },
    (_lost, attempt) => {
      if (attempt >= LOST_RACE_ATTEMPTS) throw new Conflict(`Requests to ${module.name} are arriving faster than turns can be taken; try again`);
    },
  );
  return json(201, toRequestView(record, locator), { ETag: etag(record.version), Location: `/v1/my-requests/${record.id}` });
});
