import * as z from 'zod';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { ModuleParams, RecordSchema } from './schemas.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const fieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A field name'));

export const KanbanQuery = lazySchema(() => z.strictObject({
  groupBy: fieldName.meta({ description: 'A picklist field' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Records per column' }),
  column: z.string().min(1).max(255).optional().meta({ description: 'Only this column (to page through it with cursor)' }),
  cursor: z.string().optional(),
}));

export const AggregateQuery = lazySchema(() => z.strictObject({
  groupBy: fieldName.meta({ description: 'A picklist field' }),
  metric: z
    .string()
    .regex(/^(count|(sum|avg):[a-z][a-zA-Z0-9]{0,63})$/, 'count, sum:<number field> or avg:<number field>')
    .default('count'),
}));

const ColumnSchema = lazySchema(() => z.object({ value: z.string(), count: z.number().int(), records: z.array(RecordSchema), nextCursor: z.string().optional() }));
export const KanbanSchema = lazySchema(() => z.object({ module: z.string(), groupBy: z.string(), columns: z.array(ColumnSchema) }).meta({ id: 'Kanban' }));

const GroupSchema = lazySchema(() => z.object({ value: z.string(), count: z.number().int(), result: z.number().nullable() }));
export const AggregateSchema = lazySchema(() => z.object({ module: z.string(), groupBy: z.string(), metric: z.string(), groups: z.array(GroupSchema), total: GroupSchema }).meta({ id: 'Aggregate' }));

const common = { area: 'records', auth: 'jwt', tags: ['Views'] } as const;

export const recordViewRoutes = {
  kanban: route({ ...common, operationId: 'kanban', method: 'GET', path: '/v1/records/{module}/kanban', summary: 'Kanban: columns of a picklist with their counts and newest records', params: ModuleParams, query: KanbanQuery, responses: { 200: ok(KanbanSchema), ...problems(400, 401, 403, 404) } }),
  aggregate: route({ ...common, operationId: 'aggregate', method: 'GET', path: '/v1/records/{module}/aggregate', summary: 'Chart data: count, sum or average of a number field per picklist value', params: ModuleParams, query: AggregateQuery, responses: { 200: ok(AggregateSchema), ...problems(400, 401, 403, 404) } }),
};
