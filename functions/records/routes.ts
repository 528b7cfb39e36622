import * as z from 'zod';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import {
  CreateModuleBody,
  CreateRecordBody,
  EraseRecordBody,
  HistoryPageSchema,
  ListRecordsQuery,
  LookupQuery,
  ModuleListSchema,
  ModuleParams,
  ModuleSchema,
  PageQuery,
  PatchRecordBody,
  RecordPageSchema,
  RecordParams,
  RecordSchema,
  RelatedParams,
  UpdateModuleBody,
  ViewBackfillSchema,
} from './schemas.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const common = { area: 'records', auth: 'jwt' } as const;

export const recordsRoutes = {
  listModules: route({ ...common, operationId: 'listModules', method: 'GET', path: '/v1/modules', summary: 'Modules you can see, by name', tags: ['Modules'], query: PageQuery, responses: { 200: ok(ModuleListSchema), ...problems(401) } }),
  getModule: route({ ...common, operationId: 'getModule', method: 'GET', path: '/v1/modules/{module}', summary: 'A module and its fields', tags: ['Modules'], params: ModuleParams, responses: { 200: ok(ModuleSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  createModule: route({ ...common, operationId: 'createModule', method: 'POST', path: '/v1/modules', summary: 'Create a custom module (org admin)', tags: ['Modules'], body: CreateModuleBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(ModuleSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 409, 422) } }),
  updateModule: route({ ...common, operationId: 'updateModule', method: 'PUT', path: '/v1/modules/{module}', summary: "Replace a module's fields (org admin; team admin for team modules)", tags: ['Modules'], params: ModuleParams, body: UpdateModuleBody, requestHeaders: ['If-Match'], responses: { 200: ok(ModuleSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  getViewBackfill: route({ ...common, operationId: 'getViewBackfill', method: 'GET', path: '/v1/modules/{module}/backfill', summary: "Progress of the views' backfill after the module's fields changed (org admin; team admin for team modules)", tags: ['Modules'], params: ModuleParams, responses: { 200: ok(ViewBackfillSchema), ...problems(400, 401, 403, 404) } }),
  createRecord: route({ ...common, operationId: 'createRecord', method: 'POST', path: '/v1/records/{module}', summary: 'Create a record', tags: ['Records'], params: ModuleParams, body: CreateRecordBody, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(RecordSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
  listRecords: route({ ...common, operationId: 'listRecords', method: 'GET', path: '/v1/records/{module}', summary: 'List records (newest change first), with equality filters', tags: ['Records'], params: ModuleParams, query: ListRecordsQuery, responses: { 200: ok(RecordPageSchema), ...problems(400, 401, 403, 404) } }),
  lookupRecords: route({ ...common, operationId: 'lookupRecords', method: 'GET', path: '/v1/records/{module}/lookup', summary: 'Exact match on a phone or email field (normalised)', tags: ['Records'], params: ModuleParams, query: LookupQuery, responses: { 200: ok(lazySchema(() => z.object({ items: z.array(RecordSchema), nextCursor: z.string().optional() }))), ...problems(400, 401, 403, 404) } }),
  getRecord: route({ ...common, operationId: 'getRecord', method: 'GET', path: '/v1/records/{module}/{id}', summary: 'Read a record', tags: ['Records'], params: RecordParams, responses: { 200: ok(RecordSchema, 'OK', ['ETag']), ...problems(401, 403, 404) } }),
  patchRecord: route({ ...common, operationId: 'patchRecord', method: 'PATCH', path: '/v1/records/{module}/{id}', summary: 'Change fields (null clears); honours If-Match', tags: ['Records'], params: RecordParams, body: PatchRecordBody, requestHeaders: ['If-Match'], responses: { 200: ok(RecordSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 409, 412, 422, 423) } }),
  deleteRecord: route({ ...common, operationId: 'deleteRecord', method: 'DELETE', path: '/v1/records/{module}/{id}', summary: 'Delete a record (history is kept)', tags: ['Records'], params: RecordParams, requestHeaders: ['If-Match'], responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 412, 423) } }),
  eraseRecord: route({ ...common, operationId: 'eraseRecord', method: 'POST', path: '/v1/records/{module}/{id}/erase', summary: "Erase a record's personal data everywhere Keiro keeps it (org admin); nothing contacts it again", tags: ['Records'], params: RecordParams, body: EraseRecordBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(RecordSchema, 'Erased', ['ETag']), ...problems(400, 401, 403, 404, 409) } }),
  recordHistory: route({ ...common, operationId: 'recordHistory', method: 'GET', path: '/v1/records/{module}/{id}/history', summary: 'Who changed what, when, through which path and why (newest first)', tags: ['Records'], params: RecordParams, query: PageQuery, responses: { 200: ok(HistoryPageSchema), ...problems(400, 401, 403, 404) } }),
  relatedRecords: route({ ...common, operationId: 'relatedRecords', method: 'GET', path: '/v1/records/{module}/{id}/related/{relatedModule}', summary: 'Records of another module that point at this one through a lookup field', tags: ['Records'], params: RelatedParams, query: PageQuery, responses: { 200: ok(RecordPageSchema), ...problems(400, 401, 403, 404) } }),
};
