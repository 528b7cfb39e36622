import { deleteRecord } from '../../shared/db/records-repo.js';
import { changeContext, parseIfMatch } from '../../shared/http/context.js';
import { implement, noContent } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccessWithRecord } from './record-access.js';

/** Delete a record: same rights as update; its lookup/ref/counter items go with it; history stays. */
export const deleteRecordOperation = implement(recordsRoutes.deleteRecord, async (req, deps) => {
  const expectedVersion = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'delete');
  await deleteRecord(deps, access.module, req.params.id, changeContext(req, deps), {
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    current: access.record,
    check: (current) => enforceOnRecord(deps, access, 'delete', current),
  });
  return noContent();
});
