import type { FieldDefinition } from '../../shared/domain/records/module-definition.js';
import { listRecords } from '../../shared/db/records-queries.js';
import { toRecordView } from '../../shared/db/records-repo.js';
import { BadRequest, type FieldError } from '../../shared/http/errors.js';
import { implement, json } from '../../shared/http/operation.js';
import { recordsRoutes } from './routes.js';
import { moduleAccess } from './record-access.js';
import { FILTER_PARAM } from './schemas.js';

type FilterValue = string | number | boolean;

/** Query strings are text: turn each filter into the stored type of its field, or report it. */
const coerceFilter = (field: FieldDefinition | undefined, raw: string, path: string, errors: FieldError[]): FilterValue | undefined => {
  if (!field) return void errors.push({ path, message: 'Unknown field' });
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      const n = Number(raw);
      return Number.isFinite(n) && raw.trim() !== '' ? n : void errors.push({ path, message: 'Must be a number' });
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
    const value = coerceFilter(access.module.fields.find((f) => f.name === name), raw, key, errors);
    if (value !== undefined) filters[name] = value;
  }
  if (errors.length > 0) throw new BadRequest('Invalid filters', errors);
  const page = await listRecords(deps, access.module.name, {
    limit,
    ...(cursor ? { cursor } : {}),
    filters,
    ...(ownerId ? { ownerId } : {}),
    order: sort === 'updatedAt' ? 'asc' : 'desc',
  });
  return json(200, { items: page.items.map(toRecordView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});
