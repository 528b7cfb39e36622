import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { NotificationParams, NotificationSchema, ReadAllResultSchema, TaskPageSchema, TasksQuery } from './schemas.js';

const common = { area: 'automation', auth: 'jwt' } as const;

export const automationRoutes = {
  listTasks: route({ ...common, tags: ['People'], operationId: 'listTasks', method: 'GET', path: '/v1/tasks', summary: 'Open tasks of a person, due first: your own (`assignee=me`), or as their manager or an org admin', query: TasksQuery, responses: { 200: ok(TaskPageSchema), ...problems(400, 401, 403) } }),
  readNotification: route({ ...common, tags: ['People'], operationId: 'readNotification', method: 'POST', path: '/v1/notifications/{id}/read', summary: 'Mark one of your notifications read (idempotent)', params: NotificationParams, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(NotificationSchema), ...problems(401, 404) } }),
  readAllNotifications: route({ ...common, tags: ['People'], operationId: 'readAllNotifications', method: 'POST', path: '/v1/notifications/read-all', summary: 'Mark your unread notifications read (up to 500 per call)', requestHeaders: ['Idempotency-Key'], responses: { 200: ok(ReadAllResultSchema), ...problems(401) } }),
};
