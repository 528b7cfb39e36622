import * as z from 'zod';
import { ModuleMetadataSchema } from './common.js';
import { defineEvent } from './define-event.js';

export const ModuleCreatedSchema = z.object({ module: ModuleMetadataSchema });
export type ModuleCreated = z.infer<typeof ModuleCreatedSchema>;

export const moduleCreated = defineEvent({
  name: 'module.created',
  version: 1,
  description: 'A custom or team module was created.',
  schema: ModuleCreatedSchema,
});
