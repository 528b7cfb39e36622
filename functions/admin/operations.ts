import type { Operation } from '../../shared/http/operation.js';
import { getDeadLetterOperation, listDeadLettersOperation, replayDeadLetterOperation } from './dead-letters.js';

export const adminOperations: Operation[] = [listDeadLettersOperation, getDeadLetterOperation, replayDeadLetterOperation];
