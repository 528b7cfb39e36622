import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const teamTabsChanged = defineEvent({
  name: 'team.tabs-changed',
  version: 1,
  description: 'The org modules shown as tabs of a team space changed.',
  schema: lazySchema(() => z.object({ teamId: z.string().min(1), tabs: z.array(z.string()) })),
});
