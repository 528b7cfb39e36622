import type { Operation } from '../shared/http/operation.js';
import type { Area } from '../shared/http/route-spec.js';
import { recordsOperations } from './records/operations.js';
import { systemOperations } from './system/operations.js';
import { usersOperations } from './users/operations.js';

/** Each area's operations: its Lambda (functions/<area>/handler.ts) and the local API server serve these. */
export const areaOperations: Partial<Record<Area, Operation[]>> = {
  system: systemOperations,
  users: usersOperations,
  records: recordsOperations,
};
