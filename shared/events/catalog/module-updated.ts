import * as z from 'zod';
import { ModuleMetadataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const ModuleUpdatedSchema = lazySchema(() => z.object({ module: ModuleMetadataSchema }));
export type ModuleUpdated = z.infer<typeof ModuleUpdatedSchema>;

export const moduleUpdated = defineEvent({
  name: 'module.updated',
  version: 1,
  description: "A module's definition (label, fields, picklists) was replaced; `module` is the new definition.",
  schema: ModuleUpdatedSchema,
});
