import { requireRecord, toRecordView } from '../../shared/db/records-repo.js';
import { etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccess } from './record-access.js';

/** Read a record: module visibility, then the record-level rule; the ETag carries its version. */
export const getRecordOperation = implement(recordsRoutes.getRecord, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'read');
  const item = await requireRecord(deps, access.module.name, req.params.id);
  await enforceOnRecord(deps, access, 'read', item);
  return json(200, toRecordView(item), { ETag: etag(item.version) });
});
