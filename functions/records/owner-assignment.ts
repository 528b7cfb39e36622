import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideOwnerAssignment, type Principal } from '../../shared/domain/access/index.js';
import { getUser, managerChain } from '../../shared/db/users-repo.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Invalid } from '../../shared/domain/errors.js';

/** A new owner must exist in the directory, and the caller must be allowed to give them records. */
export const checkOwnerAssignment = async (deps: AppDeps, principal: Principal, ownerId: string): Promise<void> => {
  if (ownerId === principal.userId) return;
  const [owner, chain] = await Promise.all([getUser(deps, ownerId), managerChain(deps, ownerId)]);
  if (!owner) throw new Invalid('Invalid owner', [{ path: 'ownerId', message: 'No user with this id' }]);
  enforce(decideOwnerAssignment(principal, ownerId, chain));
};
