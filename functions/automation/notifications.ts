import { markAllNotificationsRead, markNotificationRead } from '../../shared/db/notification-reads.js';
import { assertInDirectory } from '../../shared/db/users-repo.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { automationRoutes } from './routes.js';

/** Mark one of the caller's notifications read (the caller must be in the directory): only their own are found (another's id is a 404). */
export const readNotificationOperation = implement(automationRoutes.readNotification, async (req, deps) => {
  const auth = requireAuth(req);
  await assertInDirectory(deps, auth);
  return json(200, await markNotificationRead(deps, auth.userId, req.params.id));
});

/** Mark the caller's unread notifications read, a batch per call (the caller must be in the directory). */
export const readAllNotificationsOperation = implement(automationRoutes.readAllNotifications, async (req, deps) => {
  const auth = requireAuth(req);
  await assertInDirectory(deps, auth);
  return json(200, await markAllNotificationsRead(deps, auth.userId));
});
