import { decideTeamModuleSettings, decideTeamModuleSettingsRead } from '../../shared/domain/access/index.js';
import { grantRequester, listRequesters, listRequestersPage, revokeRequester } from '../../shared/db/team-members-repo.js';
import { getUser } from '../../shared/db/users-repo.js';
import { changeContext } from '../../shared/http/context.js';
import { implement, json, noContent } from '../../shared/http/operation.js';
import { teamsRoutes } from './routes.js';
import { loadTeamModule } from './team-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';

const view = (r: { userId: string; module: string; createdAt: string; createdBy: string }) => ({ userId: r.userId, module: r.module, createdAt: r.createdAt, createdBy: r.createdBy });

export const listRequestersOperation = implement(teamsRoutes.listRequesters, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideTeamModuleSettingsRead(principal, module), `No team module ${module.name}`);
  const page = await listRequestersPage(deps, module.name, req.query.limit, req.query.cursor);
  return json(200, { items: page.items.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/**
 * Make a user a requester (team admin): they may then submit requests and follow their own, but the
 * module's records stay hidden from them. 1. Manage rights on the module (403/404). 2. The user exists
 * (404). 3. The grant and its `team.requester-granted` history entry in one transaction (a repeat
 * changes nothing).
 */
export const grantRequesterOperation = implement(teamsRoutes.grantRequester, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideTeamModuleSettings(principal, module), `No team module ${module.name}`);
  if (!(await getUser(deps, req.params.userId))) throw new NotFound(`No user ${req.params.userId}`);
  const ctx = changeContext(req, deps, 'team');
  await grantRequester(deps, module.ownerTeamId, module.name, req.params.userId, ctx);
  const granted = (await listRequesters(deps, module.name)).find((r) => r.userId === req.params.userId);
  return json(200, view(granted ?? { userId: req.params.userId, module: module.name, createdAt: deps.clock().toISOString(), createdBy: ctx.actor }));
});

/** Take a requester grant back (team admin): their submitted requests stay theirs to follow. */
export const revokeRequesterOperation = implement(teamsRoutes.revokeRequester, async (req, deps) => {
  const { principal, module } = await loadTeamModule(req, deps, req.params.module);
  enforce(decideTeamModuleSettings(principal, module), `No team module ${module.name}`);
  await revokeRequester(deps, module.ownerTeamId, module.name, req.params.userId, changeContext(req, deps, 'team'));
  return noContent();
});
