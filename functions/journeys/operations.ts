import type { Operation } from '../../shared/http/operation.js';
import { activateJourneyOperation, createJourneyOperation, deactivateJourneyOperation, getJourneyOperation, listJourneysOperation, updateJourneyOperation } from './definitions.js';
import { moveInstanceOperation, recordJourneysOperation } from './instances.js';
import { journeyPathsOperation, journeyPathsSvgOperation, journeyReportOperation } from './reports.js';

export const journeysOperations: Operation[] = [
  createJourneyOperation,
  listJourneysOperation,
  getJourneyOperation,
  updateJourneyOperation,
  activateJourneyOperation,
  deactivateJourneyOperation,
  moveInstanceOperation,
  journeyReportOperation,
  journeyPathsOperation,
  journeyPathsSvgOperation,
  recordJourneysOperation,
];
