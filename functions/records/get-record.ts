import { toRecordView } from '../../shared/db/records-repo.js';
import { etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccessWithRecord } from './record-access.js';

/**
 * Read a record: the caller, the module and the record in one round trip; module visibility, then the
 * record-level rule; the ETag carries its version.
 */
export const getRecordOperation = implement(recordsRoutes.getRecord, async (req, deps) => {
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'read');
  await enforceOnRecord(deps, access, 'read', access.record);
  return json(200, toRecordView(access.record), { ETag: etag(access.record.version) });
});
