import { markAllNotificationsRead, markNotificationRead } from '../../shared/db/notification-reads.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { automationRoutes } from './routes.js';

/** Mark one of the caller's notifications read: only the caller's own are found (another's id is a 404). */
export const readNotificationOperation = implement(automationRoutes.readNotification, async (req, deps) =>
  json(200, await markNotificationRead(deps, requireAuth(req).userId, req.params.id)),
);

/** Mark the caller's unread notifications read, a batch per call. */
export const readAllNotificationsOperation = implement(automationRoutes.readAllNotifications, async (req, deps) =>
  json(200, await markAllNotificationsRead(deps, requireAuth(req).userId)),
);
