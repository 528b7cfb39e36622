import * as z from 'zod';
import { MAX_TRANSACTION_ITEMS, worstCaseWriteItems } from './write-budget.js';
import { lazySchema } from '../lazy-schema.js';

export const FIELD_TYPES = [
  'text',
  'textarea',
  'email',
  'phone',
  'number',
  'currency',
  'percent',
  'date',
  'datetime',
  'picklist',
  'multiselect',
  'boolean',
  'timezone',
  'lookup',
  'user',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const camelCase = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'Must be camelCase: a lower-case letter, then letters or digits'));

export const FieldDefinitionSchema = lazySchema(() => z
  .object({
    name: camelCase,
    label: z.string().min(1).max(120),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(120)).min(1).max(500).optional(),
    lookupModule: z.string().min(1).optional(),
    unique: z.boolean().optional(),
    readOnly: z.boolean().optional(),
    maxLength: z.number().int().min(1).max(32_000).optional(),
    /** Personal data (a name, an email, a phone, an address…): erased by `POST /v1/records/{module}/{id}/erase`. */
    personal: z.boolean().optional(),
  })
  .superRefine((field, ctx) => {
    const needsOptions = field.type === 'picklist' || field.type === 'multiselect';
    if (needsOptions && !field.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `A ${field.type} field needs options` });
    if (!needsOptions && field.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `Only picklist and multiselect fields take options` });
    if (field.options && new Set(field.options).size !== field.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must be unique' });
    if (field.type === 'lookup' && !field.lookupModule) ctx.addIssue({ code: 'custom', path: ['lookupModule'], message: 'A lookup field needs lookupModule' });
    if (field.type !== 'lookup' && field.lookupModule) ctx.addIssue({ code: 'custom', path: ['lookupModule'], message: 'Only lookup fields take lookupModule' });
    if (field.required && field.readOnly) ctx.addIssue({ code: 'custom', path: ['required'], message: 'A read-only field cannot be required: nobody could fill it in' });
    if (field.unique && !['text', 'email', 'phone', 'number'].includes(field.type)) ctx.addIssue({ code: 'custom', path: ['unique'], message: 'Only text, email, phone and number fields can be unique' });
  }));
export type FieldDefinition = z.infer<typeof FieldDefinitionSchema>;

export const ModuleNameSchema = lazySchema(() => z.string().regex(/^[A-Z][A-Za-z0-9]{1,63}$/, 'Must be PascalCase: an upper-case letter, then letters or digits'));

export const ModuleDefinitionSchema = lazySchema(() => z
  .object({
    name: ModuleNameSchema,
    label: z.string().min(1).max(120),
    ownerTeamId: z.string().min(1).optional(),
    fields: z.array(FieldDefinitionSchema).min(1).max(500),
  })
  .superRefine((module, ctx) => {
    const seen = new Set<string>();
    module.fields.forEach((field, index) => {
      if (seen.has(field.name)) ctx.addIssue({ code: 'custom', path: ['fields', index, 'name'], message: `Duplicate field name ${field.name}` });
      seen.add(field.name);
    });
    // Refuse at definition time what could only fail later, on every write of a record.
    const items = worstCaseWriteItems(module.fields, module.ownerTeamId !== undefined);
    if (items > MAX_TRANSACTION_ITEMS) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: `One record write would touch up to ${items} items; DynamoDB allows ${MAX_TRANSACTION_ITEMS} (picklists and lookups cost 3 each, phone/email and unique fields 2, user fields 1): use fewer indexed fields`,
      });
    }
  }));
export type ModuleDefinition = z.infer<typeof ModuleDefinitionSchema>;

/** Stored metadata: the definition plus bookkeeping. */
export interface ModuleMetadata extends ModuleDefinition {
  kind: 'standard' | 'custom' | 'team';
  version: number;
  createdAt?: string;
  updatedAt?: string;
}
