import type { Operation } from '../../shared/http/operation.js';
import { createUserOperation, getUserOperation, listUsersOperation, meOperation, patchUserOperation } from './user-operations.js';

export const usersOperations: Operation[] = [meOperation, listUsersOperation, createUserOperation, getUserOperation, patchUserOperation];
