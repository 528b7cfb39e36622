import { refKeys } from '../../shared/db/keys.js';
import { queryPage } from '../../shared/db/query.js';
import { getRecords, toRecordView } from '../../shared/db/records-repo.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccess, moduleAccessWithRecord } from './record-access.js';

/**
 * Related list: records of `relatedModule` whose lookup fields point at this record.
 * 1. The caller may read this record and list the related module.
 * 2. Query the reverse-reference items written with each lookup value; 3. read those records.
 */
export const relatedRecordsOperation = implement(recordsRoutes.relatedRecords, async (req, deps) => {
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'read');
  const item = access.record;
  await enforceOnRecord(deps, access, 'read', item);
  const related = await moduleAccess(req, deps, req.params.relatedModule, 'list');
  const refs = await queryPage<{ recordId: string }>(
    deps,
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': refKeys.partition(access.module.name, item.id), ':prefix': refKeys.sourcePrefix(related.module.name) },
    },
    req.query.limit,
    req.query.cursor,
  );
  const records = await getRecords(deps, related.module.name, [...new Set(refs.items.map((r) => r.recordId))]);
  return json(200, { items: records.map(toRecordView), ...(refs.nextCursor ? { nextCursor: refs.nextCursor } : {}) });
});
