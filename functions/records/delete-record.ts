import { deleteRecord } from '../../shared/db/records-repo.js';
import { changeContext } from '../../shared/http/context.js';
import { parseIfMatch, versionGuard } from '../../shared/http/if-match.js';
import { implement, noContent } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccess } from './record-access.js';

/** Delete a record: same rights as update; its lookup/ref/counter items go with it; history stays. */
export const deleteRecordOperation = implement(recordsRoutes.deleteRecord, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccess(req, deps, req.params.module, 'delete');
  await deleteRecord(deps, access.module, req.params.id, changeContext(req, deps), versionGuard(ifMatch, (current) => enforceOnRecord(deps, access, 'delete', current)));
  return noContent();
});
