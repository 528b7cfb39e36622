import { decideTeamModuleCreate, decideTeamModuleSettings, decideTeamModuleSettingsRead, HANDLING_ROLES } from '../../shared/domain/access/index.js';
import { AssignmentRulesSchema, validateAssignmentRules } from '../../shared/domain/teams/assignment.js';
import { withRequestSystemFields } from '../../shared/domain/teams/requests.js';
import { ModuleDefinitionSchema } from '../../shared/domain/records/module-definition.js';
import { createModule } from '../../shared/db/modules-repo.js';
import { retryLostRace, retryUnlessIfMatch } from '../../shared/db/lost-race.js';
import { getTeamModuleConfig, putAssignmentRules } from '../../shared/db/team-module-config-repo.js';
import { listMembers } from '../../shared/db/teams-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json } from '../../shared/http/operation.js';
import { parseOrThrow } from '../../shared/http/validation.js';
import { teamsRoutes } from './routes.js';
import { loadTeam, loadTeamModule } from './team-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid } from '../../shared/domain/errors.js';

/**
 * Create a team module (team admin, without the org admin).
 * 1. The caller is an admin of the team (members 403, outsiders 404).
 * 2. The definition gets the request system fields (requestStatus, requesterId, assigneeId) and the
 *    team as owner; validated like any module (400).
 * 3. createModule (kind 'team'): the module and its `module.created` history entry in one transaction;
 *    the module is a tab of the team from then on.
 */
export const createTeamModuleOperation = implement(teamsRoutes.createTeamModule, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideTeamModuleCreate(principal, team.id), `No team space ${team.id}`);
  const definition = parseOrThrow(
    ModuleDefinitionSchema,
    { name: req.body.name, label: req.body.label, ownerTeamId: team.id, fields: withRequestSystemFields(req.body.fields) },
    'module definition',
  );
  const module = await createModule(deps, definition, 'team', changeContext(req, deps, 'team'));
  return json(201, module, { ETag: etag(module.version), Location: `/v1/modules/${module.name}` });
});

/** Who may be assigned: the team's admins, managers and members. */
const handlersOf = async (deps: Parameters<typeof listMembers>[0], teamId: string): Promise<string[]> =>
  (await listMembers(deps, teamId)).filter((m) => HANDLING_ROLES.includes(m.role)).map((m) => m.userId);

export const getAssignmentRulesOperation = implement(teamsRoutes.getAssignmentRules, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideTeamModuleSettingsRead(principal, module), `No team module ${module.name}`);
  const config = await getTeamModuleConfig(deps, module.name);
  return json(200, { module: module.name, assignment: config.assignment, version: config.version }, { ETag: etag(config.version) });
});

/**
 * Set a team module's assignment rules (team admin).
 * 1. The caller manages the module (403/404).
 * 2. Criteria name the module's own fields with values of their type; users named are the team's
 *    current handlers (400).
 * 3. Stored on the module's config at the version read, with a history entry: with If-Match a
 *    different or lost version is 412; without it a lost race re-reads and writes again.
 */
export const putAssignmentRulesOperation = implement(teamsRoutes.putAssignmentRules, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideTeamModuleSettings(principal, module), `No team module ${module.name}`);
  const rules = AssignmentRulesSchema.parse(req.body);
  const errors = validateAssignmentRules(rules, module, await handlersOf(deps, module.ownerTeamId));
  if (errors.length > 0) throw new Invalid('Invalid assignment rules', errors);
  const ctx = changeContext(req, deps, 'team');
  const next = await retryLostRace(
    () => getTeamModuleConfig(deps, module.name),
    (config) => {
      assertIfMatch(ifMatch, config.version);
      return putAssignmentRules(deps, module.name, config, rules, ctx);
    },
    retryUnlessIfMatch(ifMatch, 'assignment rules'),
  );
  return json(200, { module: module.name, assignment: next.assignment, version: next.version }, { ETag: etag(next.version) });
});
