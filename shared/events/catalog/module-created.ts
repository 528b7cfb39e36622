import * as z from 'zod';
import { ModuleMetadataSchema } from './common.js';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

export const ModuleCreatedSchema = lazySchema(() => z.object({ module: ModuleMetadataSchema }));
export type ModuleCreated = z.infer<typeof ModuleCreatedSchema>;

export const moduleCreated = defineEvent({
  name: 'module.created',
  version: 1,
  description: 'A custom or team module was created.',
  schema: ModuleCreatedSchema,
});
