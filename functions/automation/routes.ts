import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { TaskPageSchema, TasksQuery } from './schemas.js';

const common = { area: 'automation', auth: 'jwt' } as const;

export const automationRoutes = {
  listTasks: route({ ...common, tags: ['People'], operationId: 'listTasks', method: 'GET', path: '/v1/tasks', summary: 'Open tasks of a person, due first: your own (`assignee=me`), or as their manager or an org admin', query: TasksQuery, responses: { 200: ok(TaskPageSchema), ...problems(400, 401, 403) } }),
};
