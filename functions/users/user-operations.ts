import { decideDirectoryRead, decideDirectoryWrite, directoryListScope } from '../../shared/domain/access/index.js';
import { createsManagerCycle, type User } from '../../shared/domain/users/user.js';
import { userKeys } from '../../shared/db/keys.js';
import { queryPage } from '../../shared/db/query.js';
import { describeCaller, getUser, loadPrincipal, managerChain, toUserView, type UserItem } from '../../shared/db/users-repo.js';
import { insertUser, replaceUser } from '../../shared/db/users-writes.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { usersRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

/**
 * The caller as Keiro sees them: directory profile, org role, teams and requester grants. The one
 * authenticated route that answers a caller who is not in the directory: it tells them so
 * (`inDirectory: false`, `user` and `orgRole` null, no grants) instead of refusing.
 */
export const meOperation = implement(usersRoutes.me, async (req, deps) => {
  const auth = requireAuth(req);
  const { user, grants } = await describeCaller(deps, auth);
  const inDirectory = user !== undefined;
  return json(200, {
    user: user ? toUserView(user) : null,
    id: auth.userId,
    inDirectory,
    orgRole: auth.isOrgAdmin ? 'admin' : (user?.orgRole ?? null),
    isOrgAdmin: auth.isOrgAdmin,
    teams: inDirectory ? Object.entries(grants.teamRoles).map(([teamId, role]) => ({ teamId, role })) : [],
    requesterOf: inDirectory ? grants.requesterOf : [],
  });
});

/**
 * The directory, a page at a time. Steps: load the caller; a guest gets the list of one, themselves
 * (empty if not in the directory); members and admins page through everyone (GSI1).
 */
export const listUsersOperation = implement(usersRoutes.listUsers, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  if (directoryListScope(principal) === 'self') {
    const self = await getUser(deps, principal.userId);
    return json(200, { items: self ? [toUserView(self)] : [] });
  }
  const page = await queryPage<UserItem>(
    deps,
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': userKeys.listPartition } },
    req.query.limit,
    req.query.cursor,
  );
  return json(200, { items: page.items.map(toUserView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getUserOperation = implement(usersRoutes.getUser, async (req, deps) => {
  enforce(decideDirectoryRead(await loadPrincipal(deps, requireAuth(req)), req.params.id));
  const user = await getUser(deps, req.params.id);
  if (!user) throw new NotFound(`No user ${req.params.id}`);
  return json(200, toUserView(user), { ETag: etag(user.version) });
});

/** A manager must exist and must not sit below the user (no cycles in the chain). */
const checkManager = async (deps: AppDeps, userId: string, managerId: string | undefined): Promise<void> => {
  if (managerId === undefined) return;
  const [manager, chain] = await Promise.all([getUser(deps, managerId), managerChain(deps, managerId)]);
  if (!manager) throw new Invalid('Invalid manager', [{ path: 'managerId', message: 'No user with this id' }]);
  if (createsManagerCycle(userId, managerId, chain)) {
    throw new Invalid('Invalid manager', [{ path: 'managerId', message: 'This would make the user their own manager' }]);
  }
};

/** Add a user (org admin). The manager must exist; the change is in the user's history. */
export const createUserOperation = implement(usersRoutes.createUser, async (req, deps) => {
  enforce(decideDirectoryWrite(await loadPrincipal(deps, requireAuth(req))));
  await checkManager(deps, req.body.id, req.body.managerId);
  const item = await insertUser(deps, req.body, changeContext(req, deps));
  return json(201, toUserView(item), { ETag: etag(item.version), Location: `/v1/users/${item.id}` });
});

/** Change a user (org admin): `managerId: null` removes the manager. */
export const patchUserOperation = implement(usersRoutes.patchUser, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  enforce(decideDirectoryWrite(await loadPrincipal(deps, requireAuth(req))));
  const current = await getUser(deps, req.params.id);
  if (!current) throw new NotFound(`No user ${req.params.id}`);
  assertIfMatch(ifMatch, current.version);
  const { managerId, ...rest } = req.body;
  const nextManager = managerId === null ? undefined : (managerId ?? current.managerId);
  if (managerId) await checkManager(deps, current.id, managerId);
  const next: User = {
    id: current.id,
    email: rest.email ?? current.email,
    name: rest.name ?? current.name,
    orgRole: rest.orgRole ?? current.orgRole,
    ...(nextManager ? { managerId: nextManager } : {}),
  };
  const item = await replaceUser(deps, current, next, changeContext(req, deps));
  return json(200, toUserView(item), { ETag: etag(item.version) });
});
