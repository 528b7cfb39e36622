import * as z from 'zod';
import { AssignmentRulesSchema } from '../../domain/teams/assignment.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const moduleAssignmentRulesChanged = defineEvent({
  name: 'module.assignment-rules-changed',
  version: 1,
  description: "A team admin changed who gets a team module's new requests.",
  schema: lazySchema(() => z.object({ module: z.string().min(1), assignment: AssignmentRulesSchema })),
});
