import { normaliseForLookup } from '../../shared/domain/records/normalise.js';
import { lookupKeys } from '../../shared/db/keys.js';
import { queryPage } from '../../shared/db/query.js';
import { getRecords, toRecordView } from '../../shared/db/records-repo.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { moduleAccess } from './record-access.js';
import { Invalid } from '../../shared/domain/errors.js';

/**
 * Exact match on a phone or email field.
 * 1. Normalise the value as stored lookups are (phone → E.164 with the default region; email → lower case).
 * 2. Query one page of the lookup items for that value (`limit`, `cursor`); 3. read the matching records.
 */
export const lookupRecordsOperation = implement(recordsRoutes.lookupRecords, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'list');
  const field = access.module.fields.find((f) => f.name === req.query.field);
  if (!field || (field.type !== 'phone' && field.type !== 'email')) {
    throw new Invalid('Lookup works on phone and email fields', [{ path: 'field', message: 'Not a phone or email field of this module' }]);
  }
  const normalised = normaliseForLookup(field.type, req.query.value, deps.defaultPhoneRegion);
  if (!normalised) throw new Invalid('Invalid lookup value', [{ path: 'value', message: `Not a valid ${field.type}` }]);
  const hits = await queryPage<{ recordId: string }>(
    deps,
    { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': lookupKeys.partition(access.module.name, field.name, normalised) } },
    req.query.limit,
    req.query.cursor,
  );
  const records = await getRecords(deps, access.module.name, hits.items.map((h) => h.recordId));
  return json(200, { items: records.map(toRecordView), ...(hits.nextCursor ? { nextCursor: hits.nextCursor } : {}) });
});
