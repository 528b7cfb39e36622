import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const TeamCreatedSchema = lazySchema(() => z.object({
  teamId: z.string().min(1),
  team: z.object({ id: z.string().min(1), name: z.string().min(1), description: z.string().optional(), tabs: z.array(z.string()), version: z.number().int() }).loose(),
}));

export const teamCreated = defineEvent({
  name: 'team.created',
  version: 1,
  description: 'An org admin created a team space (its first members follow as team.member-added).',
  schema: TeamCreatedSchema,
});
