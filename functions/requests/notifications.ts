import { listNotifications } from '../../shared/db/notifications-repo.js';
import { assertInDirectory } from '../../shared/db/users-repo.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { requestsRoutes } from './routes.js';

/**
 * The caller's own notifications, newest first (only ever the caller's partition). The caller must be
 * in the directory; that read runs beside the page's, and nothing is answered before it is known.
 */
export const listNotificationsOperation = implement(requestsRoutes.listNotifications, async (req, deps) => {
  const auth = requireAuth(req);
  const [, page] = await Promise.all([assertInDirectory(deps, auth), listNotifications(deps, auth.userId, req.query.limit, req.query.cursor)]);
  return json(200, page);
});
