import type { Operation } from '../../shared/http/operation.js';
import { createCadenceOperation, getCadenceOperation, listCadencesOperation, putCadenceOperation } from './definitions.js';
import {
  activateOperation,
  deactivateOperation,
  enrollOperation,
  getEnrollmentOperation,
  listEnrollmentsOperation,
  reportOperation,
  unenrollOperation,
} from './enrollments.js';
import { unsubscribeGetOperation, unsubscribePostOperation } from './unsubscribe.js';

export const cadencesOperations: Operation[] = [
  createCadenceOperation,
  listCadencesOperation,
  getCadenceOperation,
  putCadenceOperation,
  activateOperation,
  deactivateOperation,
  enrollOperation,
  unenrollOperation,
  listEnrollmentsOperation,
  getEnrollmentOperation,
  reportOperation,
  unsubscribeGetOperation,
  unsubscribePostOperation,
];
