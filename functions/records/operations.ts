import type { Operation } from '../../shared/http/operation.js';
import { createRecordOperation } from './create-record.js';
import { deleteRecordOperation } from './delete-record.js';
import { eraseRecordOperation } from './erase-record.js';
import { getRecordOperation } from './get-record.js';
import { listRecordsOperation } from './list-records.js';
import { lookupRecordsOperation } from './lookup-records.js';
import { createModuleOperation, getModuleOperation, getViewBackfillOperation, listModulesOperation, updateModuleOperation } from './modules.js';
import { patchRecordOperation } from './patch-record.js';
import { recordHistoryOperation } from './record-history.js';
import { relatedRecordsOperation } from './related-records.js';
import { aggregateOperation, kanbanOperation } from './views.js';
import { convertLeadOperation, getLeadConversionOperation, putLeadConversionOperation } from './convert-lead.js';

export const recordsOperations: Operation[] = [
  listModulesOperation,
  getModuleOperation,
  createModuleOperation,
  updateModuleOperation,
  getViewBackfillOperation,
  createRecordOperation,
  listRecordsOperation,
  lookupRecordsOperation,
  getRecordOperation,
  patchRecordOperation,
  deleteRecordOperation,
  eraseRecordOperation,
  recordHistoryOperation,
  relatedRecordsOperation,
  kanbanOperation,
  aggregateOperation,
  convertLeadOperation,
  getLeadConversionOperation,
  putLeadConversionOperation,
];
