import type { AppDeps } from '../../shared/adapters/deps.js';
import type { FieldDefinition } from '../../shared/domain/records/module-definition.js';
import { withRequestSystemFields } from '../../shared/domain/teams/requests.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { createModule, getModule } from '../../shared/db/modules-repo.js';
import { getTeamModuleConfig, putAssignmentRules } from '../../shared/db/team-module-config-repo.js';
import { grantRequester } from '../../shared/db/team-members-repo.js';
import { createTeamSpace, getTeamSpace } from '../../shared/db/teams-repo.js';

/** The Operations team space of the scenario; its id is fixed like the other demo ids. */
export const OPERATIONS_TEAM_ID = '01JDEMOTEA0000000000000001';
export const ARRANGEMENTS_MODULE = 'Arrangements';
/** Sales agents (and the demo's requester) ask Operations for arrangements. */
export const ARRANGEMENTS_REQUESTERS = ['u-requester', 'u-agent'] as const;

const f = (name: string, label: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, label, type, required: false, ...extra });

/** The team's own fields of "Arrangements" (the request system fields are added as for any team module). */
export const ARRANGEMENTS_FIELDS: readonly FieldDefinition[] = [
  f('title', 'Title', 'text', { required: true }),
  f('kind', 'Arrangement', 'picklist', { required: true, options: ['Flight', 'Hotel', 'Rail', 'Car rental', 'Visa', 'Insurance', 'Other'] }),
  // A lookup, not a text holding an id: the application's related list shows the request, and erasing its customer finds it.
  f('travelApplicationRef', 'Travel application', 'lookup', { lookupModule: 'TravelApplications' }),
  f('destination', 'Destination', 'text'),
  f('neededBy', 'Needed by', 'date'),
  f('travellers', 'Travellers', 'number'),
  f('budget', 'Budget', 'currency'),
  f('priority', 'Priority', 'picklist', { options: ['Low', 'Normal', 'High', 'Urgent'] }),
  f('details', 'Details', 'textarea'),
];

/**
 * Seeds the scenario's team space: "Operations" (u-ops its admin, TravelApplications as an org tab),
 * its team module "Arrangements", u-requester and u-agent as requesters, and round-robin assignment
 * among the team's handlers. Idempotent: each part is skipped when it exists.
 */
export const seedTeams = async (deps: AppDeps, ctx: ChangeContext): Promise<void> => {
  if (!(await getTeamSpace(deps, OPERATIONS_TEAM_ID))) {
    await createTeamSpace(
      deps,
      { id: OPERATIONS_TEAM_ID, name: 'Operations', description: 'Tickets, lodging and travel documents', tabs: ['TravelApplications'], members: [{ userId: 'u-ops', role: 'admin' }] },
      ctx,
    );
  }
  if (!(await getModule(deps, ARRANGEMENTS_MODULE))) {
    await createModule(deps, { name: ARRANGEMENTS_MODULE, label: 'Arrangements', ownerTeamId: OPERATIONS_TEAM_ID, fields: withRequestSystemFields(ARRANGEMENTS_FIELDS) }, 'team', ctx);
  }
  for (const userId of ARRANGEMENTS_REQUESTERS) await grantRequester(deps, OPERATIONS_TEAM_ID, ARRANGEMENTS_MODULE, userId, ctx);
  const config = await getTeamModuleConfig(deps, ARRANGEMENTS_MODULE);
  if (config.version === 0) await putAssignmentRules(deps, ARRANGEMENTS_MODULE, config, { criteria: [], otherwise: { kind: 'round-robin' } }, ctx);
};
