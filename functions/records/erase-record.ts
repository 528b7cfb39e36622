import { eraseRecord } from '../../shared/db/erasure-repo.js';
import { toRecordView } from '../../shared/db/records-repo.js';
import { decideErasure } from '../../shared/domain/access/index.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { moduleAccessWithRecord } from './record-access.js';

/**
 * Erase a record's personal data (the right to be forgotten).
 * 1. One round trip reads the caller, the module and the record: a caller who may not see it gets 404,
 *    one who sees it but is not an org admin 403.
 * 2. Erase (shared/db/erasure-repo.ts): mark it erased with who, when and why; scrub every copy; then
 *    the record. A repeat (or the retry of an erasure cut off midway) finishes it and answers the same.
 */
export const eraseRecordOperation = implement(recordsRoutes.eraseRecord, async (req, deps) => {
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'read');
  enforce(decideErasure(access.principal));
  const item = await eraseRecord(deps, access.module, req.params.id, { ...changeContext(req, deps), reason: req.body.reason }, req.body.reason);
  return json(200, toRecordView(item), { ETag: etag(item.version) });
});
