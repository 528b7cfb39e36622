import { fieldValueSchema } from '../../shared/domain/records/field-values.js';
import type { FieldDefinition } from '../../shared/domain/records/module-definition.js';
import { listRecords } from '../../shared/db/records-queries.js';
import { toRecordView } from '../../shared/db/records-repo.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { moduleAccess } from './record-access.js';
import { FILTER_PARAM } from './schemas.js';
import { Invalid, type FieldError } from '../../shared/domain/errors.js';

type FilterValue = string | number | boolean;

/** Query strings are text: turn each filter into the stored type of its field, or report it. */
const coerceFilter = (field: FieldDefinition | undefined, raw: string, path: string, errors: FieldError[], phoneRegion: string): FilterValue | undefined => {
  if (!field) return void errors.push({ path, message: 'Unknown field' });
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      // The field's own rule (in range, bounded decimals): a value no record can hold is a 400, not a 500.
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      const parsed = fieldValueSchema(field, phoneRegion).safeParse(n);
      return parsed.success ? n : void errors.push({ path, message: Number.isFinite(n) ? (parsed.error.issues[0]?.message ?? 'Must be a number') : 'Must be a number' });
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : void errors.push({ path, message: 'Must be true or false' });
    case 'picklist':
      return field.options?.includes(raw) ? raw : void errors.push({ path, message: `Must be one of: ${(field.options ?? []).join(', ')}` });
    case 'multiselect':
    case 'textarea':
      return void errors.push({ path, message: `Cannot filter on a ${field.type} field` });
    default:
      return raw;
  }
};

/**
 * List a module's records, newest change first (or oldest with sort=updatedAt).
 * Equality filters `filter[<field>]=<value>` and `ownerId` are typed by the module metadata.
 */
export const listRecordsOperation = implement(recordsRoutes.listRecords, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'list');
  const { limit, cursor, sort, ownerId, ...rest } = req.query;
  const errors: FieldError[] = [];
  const filters: Record<string, FilterValue> = {};
  for (const [key, raw] of Object.entries(rest)) {
    const name = FILTER_PARAM.exec(key)?.[1];
    if (!name || typeof raw !== 'string') continue;
    const value = coerceFilter(access.module.fields.find((f) => f.name === name), raw, key, errors, deps.defaultPhoneRegion);
    if (value !== undefined) filters[name] = value;
  }
  if (errors.length > 0) throw new Invalid('Invalid filters', errors);
  const page = await listRecords(deps, access.module.name, {
    limit,
    ...(cursor ? { cursor } : {}),
    filters,
    ...(ownerId ? { ownerId } : {}),
    order: sort === 'updatedAt' ? 'asc' : 'desc',
  });
  return json(200, { items: page.items.map(toRecordView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});
