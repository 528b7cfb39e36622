import { deleteRecord } from '../../shared/db/records-repo.js';
import { requestLocatorDelete } from '../../shared/db/request-writes.js';
import { changeContext, parseIfMatch } from '../../shared/http/context.js';
import { implement, noContent } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccess } from './record-access.js';

/**
 * Delete a record: same rights as update; its lookup/ref/counter items go with it (and, in a team
 * module, its request locator), in one transaction; history stays.
 */
export const deleteRecordOperation = implement(recordsRoutes.deleteRecord, async (req, deps) => {
  const expectedVersion = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccess(req, deps, req.params.module, 'delete');
  await deleteRecord(deps, access.module, req.params.id, changeContext(req, deps), {
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    check: (current) => enforceOnRecord(deps, access, 'delete', current),
    ...(access.module.ownerTeamId ? { extraItems: () => [requestLocatorDelete(deps, access.module.name, req.params.id)] } : {}),
  });
  return noContent();
});
