import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const ModuleViewBackfillContinuedSchema = lazySchema(() => z.object({ module: z.string().min(1), generation: z.number().int().min(2) }));

export const moduleViewBackfillContinued = defineEvent({
  name: 'module.view-backfill-continued',
  version: 1,
  description: "The view backfill of a module's new definition spent its budget for one run and goes on from its saved cursor (the event starts the next run).",
  schema: ModuleViewBackfillContinuedSchema,
});
