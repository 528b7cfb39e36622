import * as z from 'zod';
import { OrgRoleSchema, UserIdSchema, UserSchema } from '../../shared/domain/users/user.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const UserViewSchema = lazySchema(() => UserSchema.extend({
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({ id: 'User' }));

export const MeSchema = lazySchema(() => z
  .object({
    user: UserViewSchema.nullable().meta({ description: "The caller's directory entry; null when they are not in the directory" }),
    id: z.string(),
    inDirectory: z.boolean().meta({
      description:
        "false: the token is valid but the caller is not in the organisation's directory. Every other route then answers 403 until an org admin adds them (POST /v1/users); org admins by token are the exception.",
    }),
    orgRole: OrgRoleSchema.nullable().meta({ description: 'From the directory (admin also from the token); null when not in the directory' }),
    isOrgAdmin: z.boolean(),
    teams: z.array(z.object({ teamId: z.string(), role: z.enum(['admin', 'manager', 'member', 'participant']) })),
    requesterOf: z.array(z.string()),
  })
  .meta({ id: 'Me' }));

export const UserParams = lazySchema(() => z.object({ id: UserIdSchema }));
export const CreateUserBody = lazySchema(() => UserSchema.strict().meta({ id: 'CreateUser' }));
export const PatchUserBody = lazySchema(() => z
  .strictObject({
    email: z.email().optional(),
    name: z.string().min(1).max(120).optional(),
    orgRole: OrgRoleSchema.optional(),
    managerId: UserIdSchema.nullable().optional(),
  })
  .meta({ id: 'PatchUser' }));
export const UserPageSchema = lazySchema(() => z.object({ items: z.array(UserViewSchema), nextCursor: z.string().optional() }));
