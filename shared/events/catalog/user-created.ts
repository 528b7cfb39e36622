import * as z from 'zod';
import { ChangeSchema, UserEventUserSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const UserCreatedSchema = lazySchema(() => z.object({ user: UserEventUserSchema, changes: z.array(ChangeSchema) }));
export type UserCreated = z.infer<typeof UserCreatedSchema>;

export const userCreated = defineEvent({
  name: 'user.created',
  version: 1,
  description: 'A user was added to the directory.',
  schema: UserCreatedSchema,
});
