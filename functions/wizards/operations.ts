import type { Operation } from '../../shared/http/operation.js';
import { createWizardOperation, getWizardOperation, listWizardsOperation, putWizardOperation } from './definitions.js';
import { backOperation, finishOperation, getSessionOperation, listDraftsOperation, saveDraftOperation, startSessionOperation, submitScreenOperation } from './sessions.js';

export const wizardsOperations: Operation[] = [
  createWizardOperation,
  listWizardsOperation,
  getWizardOperation,
  putWizardOperation,
  startSessionOperation,
  listDraftsOperation,
  getSessionOperation,
  submitScreenOperation,
  backOperation,
  saveDraftOperation,
  finishOperation,
];
