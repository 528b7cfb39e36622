import { validateFieldValues } from '../../shared/domain/records/field-values.js';
import { toRecordView, updateRecord } from '../../shared/db/records-repo.js';
import { directRecordWriteContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { enforceOnRecord, moduleAccessWithRecord } from './record-access.js';
import { checkOwnerAssignment } from './owner-assignment.js';
import { versionGuard } from '../../shared/domain/version-precondition.js';
import { Invalid } from '../../shared/domain/errors.js';

/**
 * Patch a record.
 * 1. One round trip reads the caller, the module and the record (see loadAccessContext).
 * 2. Validate the sent fields (null or "" clears; required fields cannot be cleared).
 * 3. Pre-write checks: the caller must be the owner, above the owner, or an admin (team rules for team
 *    modules); with If-Match, a different current version is 412; a locked record is 423.
 * 4. One conditional transaction: record (version + 1), history entry with old → new, derived items.
 *    Without If-Match a lost race re-reads and re-applies the patch after a jittered backoff.
 */
export const patchRecordOperation = implement(recordsRoutes.patchRecord, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'update');
  const { values, errors } = validateFieldValues(access.module, req.body.fields ?? {}, 'patch', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid record fields', errors);
  if (req.body.ownerId !== undefined) await checkOwnerAssignment(deps, access.principal, req.body.ownerId);
  const { item } = await updateRecord(
    deps,
    access.module,
    req.params.id,
    { fields: values, ...(req.body.ownerId !== undefined ? { ownerId: req.body.ownerId } : {}) },
    directRecordWriteContext(req, deps),
    {
      ...versionGuard(ifMatch, (current) => enforceOnRecord(deps, access, 'update', current)),
      current: access.record,
      ...(access.processes ? { processes: access.processes } : {}),
    },
  );
  return json(200, toRecordView(item), { ETag: etag(item.version) });
});
