import { recordHistory } from '../../shared/db/records-queries.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccessMaybeRecord } from './record-access.js';
import { NotFound } from '../../shared/domain/errors.js';

/** A record's history, newest first; a deleted record's history stays readable to those who may list the module. */
export const recordHistoryOperation = implement(recordsRoutes.recordHistory, async (req, deps) => {
  const access = await moduleAccessMaybeRecord(req, deps, req.params.module, req.params.id, 'read');
  const item = access.record;
  if (item) await enforceOnRecord(deps, access, 'read', item);
  const page = await recordHistory(deps, access.module.name, req.params.id, req.query.limit, req.query.cursor);
  if (!item && page.items.length === 0) throw new NotFound(`No ${access.module.name} record ${req.params.id}`);
  return json(200, page);
});
