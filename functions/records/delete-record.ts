import { deleteRecord } from '../../shared/db/records-repo.js';
import { requestItemsDelete } from '../../shared/db/request-writes.js';
import { changeContext } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, noContent } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccessWithRecord } from './record-access.js';
import { versionGuard } from '../../shared/domain/version-precondition.js';

/**
 * Delete a record: same rights as update; its lookup/ref/counter items go with it (and, in a team
 * module, its request locator and history copy), in one transaction; history stays.
 */
export const deleteRecordOperation = implement(recordsRoutes.deleteRecord, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'delete');
  await deleteRecord(deps, access.module, req.params.id, changeContext(req, deps), {
    ...versionGuard(ifMatch, (current) => enforceOnRecord(deps, access, 'delete', current)),
    current: access.record,
    ...(access.module.ownerTeamId ? { extraItems: () => requestItemsDelete(deps, access.module.name, req.params.id) } : {}),
  });
  return noContent();
});
