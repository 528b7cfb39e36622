import type { FieldDefinition, ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { aggregateFromCounters, columnCount, groupValues, kanbanColumn, readCounters, type Metric } from '../../shared/db/record-views.js';
import { toRecordView } from '../../shared/db/records-repo.js';
import { isNumberField, viewGeneration } from '../../shared/db/record-view-items.js';
import { implement, json } from '../../shared/http/operation.js';
import { moduleAccess } from './record-access.js';
import { recordViewRoutes } from './view-routes.js';
import { Invalid } from '../../shared/domain/errors.js';

const picklistOf = (module: ModuleMetadata, name: string): FieldDefinition => {
  const field = module.fields.find((f) => f.name === name);
  if (field?.type !== 'picklist') throw new Invalid('Invalid groupBy', [{ path: 'groupBy', message: 'Not a picklist field of this module' }]);
  return field;
};

const parseMetric = (module: ModuleMetadata, raw: string): Metric => {
  if (raw === 'count') return { kind: 'count' };
  const [kind, name] = raw.split(':') as ['sum' | 'avg', string];
  const field = module.fields.find((f) => f.name === name);
  if (!field || !isNumberField(field)) throw new Invalid('Invalid metric', [{ path: 'metric', message: 'Not a number, currency or percent field of this module' }]);
  return { kind, field: name };
};

/**
 * Kanban of a module by one of its picklists.
 * 1. The caller may list the module's records (403/404 as for the list).
 * 2. Column counts: one GetItem of the picklist's counter item (kept in each record's transaction).
 * 3. Each column's newest records: a Query of its group partition (limit per column) and one BatchGet;
 *    `column` + `cursor` page through one column. Nothing reads the whole module.
 */
export const kanbanOperation = implement(recordViewRoutes.kanban, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'list');
  const field = picklistOf(access.module, req.query.groupBy);
  if (req.query.cursor && !req.query.column) throw new Invalid('A cursor pages one column', [{ path: 'column', message: 'Name the column the cursor belongs to' }]);
  const counters = await readCounters(deps, access.module.name, field.name, viewGeneration(access.module));
  const values = req.query.column ? [req.query.column] : groupValues(field, counters);
  const columns = await Promise.all(
    values.map(async (value) => {
      const { records, nextCursor } = await kanbanColumn(deps, access.module.name, field.name, value, req.query.limit, req.query.cursor, viewGeneration(access.module));
      return { value, count: columnCount(counters, value), records: records.map(toRecordView), ...(nextCursor ? { nextCursor } : {}) };
    }),
  );
  return json(200, { module: access.module.name, groupBy: field.name, columns });
});

/**
 * Chart data: per value of a picklist, the count of records, or the sum / average of a number field.
 * 1. The caller may list the module's records. 2. One GetItem of the counter item, where each record's
 * transaction keeps counts, sums and filled-in counts per value: constant cost as the module grows.
 */
export const aggregateOperation = implement(recordViewRoutes.aggregate, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'list');
  const field = picklistOf(access.module, req.query.groupBy);
  const metric = parseMetric(access.module, req.query.metric);
  const counters = await readCounters(deps, access.module.name, field.name, viewGeneration(access.module));
  return json(200, { module: access.module.name, groupBy: field.name, metric: req.query.metric, ...aggregateFromCounters(field, counters, metric) });
});
