import * as z from 'zod';
import type { FieldDefinition } from '../records/module-definition.js';
import type { FieldValue } from '../records/field-values.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * Screens are data: wizards and kiosks return them, one generic renderer shows them, and the
 * front-end holds no flow logic. A component's id is what its value is submitted under
 * (`{ values: { <component id>: value } }`), and what a 400 names (`values.<component id>`).
 */
export const SCREEN_INPUT_TYPES = ['text', 'textarea', 'email', 'phone', 'number', 'currency', 'percent', 'date', 'datetime', 'picklist', 'multiselect', 'boolean', 'timezone'] as const;
export type ScreenInputType = (typeof SCREEN_INPUT_TYPES)[number];

export const ScreenOptionSchema = lazySchema(() => z.object({ value: z.string(), label: z.string() }));
export type ScreenOption = z.infer<typeof ScreenOptionSchema>;

export const ScreenComponentSchema = lazySchema(() => z
  .object({
    id: z.string(),
    kind: z.enum(['input', 'choice', 'display']),
    type: z.enum(SCREEN_INPUT_TYPES).optional(),
    label: z.string(),
    required: z.boolean(),
    readOnly: z.boolean().optional(),
    options: z.array(ScreenOptionSchema).optional(),
    value: z.unknown().optional(),
    text: z.string().optional(),
  })
  .meta({ id: 'ScreenComponent' }));
export type ScreenComponent = z.infer<typeof ScreenComponentSchema>;

export const ScreenSchema = lazySchema(() => z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    components: z.array(ScreenComponentSchema),
  })
  .meta({ id: 'Screen' }));
export type Screen = z.infer<typeof ScreenSchema>;

/** Lookup and user fields are entered as ids (text); every other field type is an input type of its own. */
export const inputTypeOf = (field: FieldDefinition): ScreenInputType =>
  field.type === 'lookup' || field.type === 'user' ? 'text' : field.type;

/** An input component for a module field, with its current value. */
export const fieldComponent = (
  field: FieldDefinition,
  options: { required?: boolean; readOnly?: boolean; value?: FieldValue | undefined; label?: string } = {},
): ScreenComponent => ({
  id: field.name,
  kind: 'input',
  type: inputTypeOf(field),
  label: options.label ?? field.label,
  required: options.required ?? field.required,
  ...(options.readOnly ? { readOnly: true } : {}),
  ...(field.options ? { options: field.options.map((o) => ({ value: o, label: o })) } : {}),
  ...(options.value !== undefined ? { value: options.value } : {}),
});
