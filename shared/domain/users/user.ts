import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

export const OrgRoleSchema = lazySchema(() => z.enum(['admin', 'member', 'guest']));

export const UserIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, 'Letters, digits and _ . @ - only'));

export const UserSchema = lazySchema(() => z.object({
  id: UserIdSchema,
  email: z.email(),
  name: z.string().min(1).max(120),
  orgRole: OrgRoleSchema,
  managerId: UserIdSchema.optional(),
}));
export type User = z.infer<typeof UserSchema>;

/** The longest management chain walked; a longer one (or a cycle) stops there. */
export const MAX_MANAGER_CHAIN = 25;

/** Would setting `managerId` on `userId` create a cycle, given the new manager's own chain? */
export const createsManagerCycle = (userId: string, managerId: string, managerChain: readonly string[]): boolean =>
  managerId === userId || managerChain.includes(userId);

/**
 * The user's managers, nearest first, given each user's manager as a directory read once knows them:
 * stops at a missing user, a cycle, or MAX_MANAGER_CHAIN (as shared/db/users-repo.ts managerChain walks it).
 */
export const managerChainIn = (userId: string, managerOf: (id: string) => string | undefined): string[] => {
  const chain: string[] = [];
  let next = managerOf(userId);
  while (next && !chain.includes(next) && next !== userId && chain.length < MAX_MANAGER_CHAIN) {
    chain.push(next);
    next = managerOf(next);
  }
  return chain;
};
