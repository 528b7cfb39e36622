import type { AppDeps } from '../../shared/adapters/deps.js';
import type { FieldValues } from '../../shared/domain/records/field-values.js';
import { validateFieldValues } from '../../shared/domain/records/field-values.js';
import { createRecord as insertRecord, toRecordView } from '../../shared/db/records-repo.js';
import { directRecordWriteContext, etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { moduleAccess } from './record-access.js';
import { checkOwnerAssignment } from './owner-assignment.js';
import { Invalid } from '../../shared/domain/errors.js';

/**
 * Create a record.
 * 1. The caller may create records of the module (else 403/404).
 * 2. Fields are validated against the module metadata (400 with `fields.<name>` paths).
 * 3. The owner is the caller unless `ownerId` names someone they may assign to.
 * 4. One transaction writes the record, its history entry and its lookup/ref/counter items.
 */
export const createRecordOperation = implement(recordsRoutes.createRecord, async (req, deps: AppDeps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'create');
  const { values, errors } = validateFieldValues(access.module, req.body.fields, 'create', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid record fields', errors);
  const ownerId = req.body.ownerId ?? access.principal.userId;
  await checkOwnerAssignment(deps, access.principal, ownerId);
  const item = await insertRecord(deps, access.module, { id: deps.newId(), ownerId, fields: values as FieldValues }, directRecordWriteContext(req, deps), [], access.processes ? { processes: access.processes } : {});
  return json(201, toRecordView(item), { ETag: etag(item.version), Location: `/v1/records/${item.module}/${item.id}` });
});
