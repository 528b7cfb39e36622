import * as z from 'zod';
import { ChangeSchema, UserEventUserSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const UserUpdatedSchema = lazySchema(() => z.object({ user: UserEventUserSchema, changes: z.array(ChangeSchema).min(1) }));
export type UserUpdated = z.infer<typeof UserUpdatedSchema>;

export const userUpdated = defineEvent({
  name: 'user.updated',
  version: 1,
  description: "A user's name, email, org role or manager changed (org role and manager are permission changes).",
  schema: UserUpdatedSchema,
});
