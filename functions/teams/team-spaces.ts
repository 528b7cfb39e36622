import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideTeamSpaceCreate, decideTeamSpaceRead, decideTeamTabsChange, decideTeamAudit, isAdmin } from '../../shared/domain/access/index.js';
import { getModule, listModules } from '../../shared/db/modules-repo.js';
import { createTeamSpace, getTeamSpaces, listMembers, listTeamSpaces, setTeamTabs, teamHistory, toMemberView, toTeamSpaceView, type TeamSpaceItem } from '../../shared/db/teams-repo.js';
import { pageSorted } from '../../shared/db/page-sorted.js';
import { retryLostRace, retryUnlessIfMatch } from '../../shared/db/lost-race.js';
import { getUsers, loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { teamsRoutes } from './routes.js';
import { getTeamSpaceOr404, loadTeam } from './team-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, type FieldError } from '../../shared/domain/errors.js';

/** Tabs name org modules (standard or custom); a team module belongs to its own team's tabs. */
const checkOrgTabs = async (deps: AppDeps, tabs: readonly string[]): Promise<void> => {
  const modules = await Promise.all(tabs.map((name) => getModule(deps, name)));
  const errors: FieldError[] = modules.flatMap((m, i) => (!m || m.ownerTeamId ? [{ path: `tabs.${i}`, message: 'Not an org module' }] : []));
  if (errors.length > 0) throw new Invalid('Invalid tabs', errors);
};

/** The full view: org tabs, then the team's own modules as tabs, and the members. */
const teamSpaceView = async (deps: AppDeps, team: TeamSpaceItem) => {
  const [modules, members] = await Promise.all([listModules(deps), listMembers(deps, team.id)]);
  const byName = new Map(modules.map((m) => [m.name, m]));
  const orgTabs = team.tabs.map((name) => ({ module: name, label: byName.get(name)?.label ?? name, kind: 'org' as const }));
  const teamTabs = modules.filter((m) => m.ownerTeamId === team.id).map((m) => ({ module: m.name, label: m.label, kind: 'team' as const }));
  return { ...toTeamSpaceView(team), tabs: [...orgTabs, ...teamTabs], members: members.map(toMemberView) };
};

/**
 * Create a team space (org admin: team spaces are delegated from the organisation, so the org admin
 * creates them and names their first admins; from then on the team admins run them).
 * 1. Org admins only (403). 2. Tabs must be org modules; members must be users in the directory (400).
 * 3. One transaction: the team space, each membership, and a history entry for each.
 */
export const createTeamSpaceOperation = implement(teamsRoutes.createTeamSpace, async (req, deps) => {
  enforce(decideTeamSpaceCreate(await loadPrincipal(deps, requireAuth(req))));
  await checkOrgTabs(deps, req.body.tabs);
  const users = await getUsers(deps, req.body.members.map((m) => m.userId));
  const missing = req.body.members.flatMap((m, i) => (users.has(m.userId) ? [] : [{ path: `members.${i}.userId`, message: 'No user with this id' }]));
  if (missing.length > 0) throw new Invalid('Invalid members', missing);
  const team = await createTeamSpace(
    deps,
    { id: deps.newId(), name: req.body.name, ...(req.body.description ? { description: req.body.description } : {}), tabs: req.body.tabs, members: req.body.members },
    changeContext(req, deps),
  );
  return json(201, await teamSpaceView(deps, team), { ETag: etag(team.version), Location: `/v1/team-spaces/${team.id}` });
});

/**
 * Team spaces the caller belongs to (org admins: every team space), by name, paged like every list.
 * A member's team spaces are few and read by key (their memberships), then paged in memory.
 */
export const listTeamSpacesOperation = implement(teamsRoutes.listTeamSpaces, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  const summary = (t: TeamSpaceItem) => ({ id: t.id, name: t.name, ...(t.description ? { description: t.description } : {}), ...(principal.teamRoles[t.id] ? { role: principal.teamRoles[t.id] } : {}) });
  if (isAdmin(principal)) {
    const page = await listTeamSpaces(deps, req.query.limit, req.query.cursor);
    return json(200, { items: page.items.map(summary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  }
  const mine = (await getTeamSpaces(deps, Object.keys(principal.teamRoles))).filter((t) => decideTeamSpaceRead(principal, t.id).allowed);
  const page = pageSorted(mine, (t) => t.name, req.query.limit, req.query.cursor);
  return json(200, { items: page.items.map(summary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getTeamSpaceOperation = implement(teamsRoutes.getTeamSpace, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideTeamSpaceRead(principal, team.id), `No team space ${team.id}`);
  return json(200, await teamSpaceView(deps, team), { ETag: etag(team.version) });
});

/**
 * Set the team's org tabs (team admin).
 * 1. The caller administers the team (403/404). 2. Tabs are org modules (400).
 * 3. Write at the version read: with If-Match a different or lost version is 412; without it a lost
 *    race re-reads the team and writes again (the tabs are replaced, so the last writer wins).
 */
export const setTeamTabsOperation = implement(teamsRoutes.setTeamTabs, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideTeamTabsChange(principal, team.id), `No team space ${team.id}`);
  await checkOrgTabs(deps, req.body.tabs);
  const ctx = changeContext(req, deps, 'team');
  const next = await retryLostRace(
    async (attempt) => (attempt === 1 ? team : await getTeamSpaceOr404(deps, team.id)),
    (current) => {
      assertIfMatch(ifMatch, current.version);
      return setTeamTabs(deps, current, req.body.tabs, ctx);
    },
    retryUnlessIfMatch(ifMatch, 'team space'),
  );
  return json(200, await teamSpaceView(deps, next), { ETag: etag(next.version) });
});

/** The team's history: memberships, roles, requester grants, revocations (team admin, org admin). */
export const teamHistoryOperation = implement(teamsRoutes.teamHistory, async (req, deps) => {
  const { principal, team } = await loadTeam(req, deps, req.params.id);
  enforce(decideTeamAudit(principal, team.id), `No team space ${team.id}`);
  return json(200, await teamHistory(deps, team.id, req.query.limit, req.query.cursor));
});
