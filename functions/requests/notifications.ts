import { listNotifications } from '../../shared/db/notifications-repo.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { requestsRoutes } from './routes.js';

/** The caller's own notifications, newest first (only ever the caller's partition: nothing to refuse). */
export const listNotificationsOperation = implement(requestsRoutes.listNotifications, async (req, deps) =>
  json(200, await listNotifications(deps, requireAuth(req).userId, req.query.limit, req.query.cursor)),
);
