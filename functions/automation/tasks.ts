import { decideTaskListRead } from '../../shared/domain/access/index.js';
import { listOpenTasks } from '../../shared/db/task-index.js';
import { assertInDirectory, loadPrincipal, managerChain } from '../../shared/db/users-repo.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { automationRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';

/**
 * A person's open tasks, due first.
 * 1. `assignee=me` is the caller (who must be in the directory); another user needs the caller to be an org admin or above them in
 *    the `managerId` chain (403 otherwise).
 * 2. One Query of the assignee's open-task index (written with each Task record), one page.
 */
export const listTasksOperation = implement(automationRoutes.listTasks, async (req, deps) => {
  const auth = requireAuth(req);
  const assigneeId = req.query.assignee === 'me' ? auth.userId : req.query.assignee;
  if (assigneeId !== auth.userId) {
    const [principal, managers] = await Promise.all([loadPrincipal(deps, auth), managerChain(deps, assigneeId)]);
    enforce(decideTaskListRead(principal, assigneeId, managers));
    return json(200, await listOpenTasks(deps, assigneeId, req.query.limit, req.query.cursor));
  }
  // Your own list: the caller must be in the directory; that read runs beside the page's.
  const [, page] = await Promise.all([assertInDirectory(deps, auth), listOpenTasks(deps, assigneeId, req.query.limit, req.query.cursor)]);
  return json(200, page);
});
