import * as z from 'zod';
import { ModuleNameSchema } from '../records/module-definition.js';
import { UserIdSchema } from '../users/user.js';
import { lazySchema } from '../lazy-schema.js';

export const TeamRoleSchema = lazySchema(() => z.enum(['admin', 'manager', 'member', 'participant']));

export const TeamIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'Letters, digits, _ and - only'));

/** At most this many members may be named when a team space is created (one transaction with their history). */
export const MAX_INITIAL_MEMBERS = 25;

export const TeamMemberInputSchema = lazySchema(() => z.strictObject({ userId: UserIdSchema, role: TeamRoleSchema }));

const uniqueBy = <T>(items: readonly T[], key: (item: T) => string): boolean => new Set(items.map(key)).size === items.length;

/** Org tabs of a team space: org modules the team works with beside its own team modules. */
export const TeamTabsSchema = lazySchema(() => z
  .array(ModuleNameSchema)
  .max(50)
  .refine((tabs) => uniqueBy(tabs, (t) => t), 'Tabs must be unique'));

export const TeamSpaceInputSchema = lazySchema(() => z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).optional(),
  tabs: TeamTabsSchema.default([]),
  members: z
    .array(TeamMemberInputSchema)
    .max(MAX_INITIAL_MEMBERS)
    .refine((members) => uniqueBy(members, (m) => m.userId), 'Each user may be named once')
    .default([]),
}));
export type TeamSpaceInput = z.infer<typeof TeamSpaceInputSchema>;
