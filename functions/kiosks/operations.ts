import type { Operation } from '../../shared/http/operation.js';
import { createKioskOperation, getKioskOperation, listKiosksOperation, putKioskOperation } from './definitions.js';
import { getRunOperation, startRunOperation, submitOperation } from './runs.js';

export const kiosksOperations: Operation[] = [createKioskOperation, listKiosksOperation, getKioskOperation, putKioskOperation, startRunOperation, getRunOperation, submitOperation];
