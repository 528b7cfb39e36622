import * as z from 'zod';
import type { FieldDefinition, ModuleMetadata } from './module-definition.js';
import { CURRENCY_DECIMAL_PLACES, MAX_DECIMAL_PLACES, numberValueProblem } from './decimal.js';
import { phoneToE164 } from './normalise.js';
import { TIME_ZONE_MESSAGE, isValidTimeZone } from '../cadence/zoned-time.js';
import type { FieldError } from '../errors.js';
import { boundedMap } from '../bounded-map.js';

export type FieldValue = string | number | boolean | string[];
export type FieldValues = Record<string, FieldValue>;
/** A patch: null clears a field. */
export type FieldPatch = Record<string, FieldValue | null>;

const DEFAULT_TEXT_MAX = 255;
const DEFAULT_TEXTAREA_MAX = 32_000;

const trimmed = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/**
 * Why `n` cannot be a value of this number, currency or percent field (undefined if it can): it must be
 * stored and read back exactly (decimal.ts), and a percent lies between 0 and 100.
 */
export const numberFieldProblem = (field: Pick<FieldDefinition, 'type'>, n: number): string | undefined =>
  numberValueProblem(n, field.type === 'currency' ? CURRENCY_DECIMAL_PLACES : MAX_DECIMAL_PLACES) ??
  (field.type === 'percent' && (n < 0 || n > 100) ? 'Must be between 0 and 100' : undefined);

const exactNumber = (field: FieldDefinition) =>
  z.number('Must be a number').superRefine((v, ctx) => {
    const problem = numberFieldProblem(field, v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Schemas built so far, by the phone region and the field's whole definition: building zod schemas costs
 * more than parsing with them (about 0.35 ms of a record create's CPU for a few fields,
 * tests/bench/RESULTS.md "Handlers in-process"). Keyed on the whole definition, so whatever a schema
 * reads of the field, a change of it is a new entry. Bounded (boundedMap) for a container that sees many
 * custom modules.
 */
const builtSchemas = boundedMap<z.ZodType<FieldValue>>(2_000);

/** The zod schema of one field's value (a present, non-null value). */
export const fieldValueSchema = (field: FieldDefinition, phoneRegion: string): z.ZodType<FieldValue> => {
  const key = [phoneRegion, JSON.stringify(field)];
  const built = builtSchemas.get(key);
  if (built) return built;
  const schema = buildFieldValueSchema(field, phoneRegion);
  builtSchemas.set(key, schema);
  return schema;
};

const buildFieldValueSchema = (field: FieldDefinition, phoneRegion: string): z.ZodType<FieldValue> => {
  switch (field.type) {
    case 'text':
      return trimmed(field.maxLength ?? DEFAULT_TEXT_MAX);
    case 'textarea':
      return trimmed(field.maxLength ?? DEFAULT_TEXTAREA_MAX);
    case 'email':
      return z.string().trim().max(254).pipe(z.email('Must be a valid email address'));
    case 'phone':
      return z
        .string()
        .trim()
        .max(40)
        .refine((v) => phoneToE164(v, phoneRegion) !== undefined, 'Must be a valid phone number');
    case 'number':
    case 'currency':
    case 'percent':
      return exactNumber(field);
    case 'date':
      return z.iso.date('Must be a date (YYYY-MM-DD)');
    case 'datetime':
      return z.iso
        .datetime({ offset: true, message: 'Must be an ISO 8601 date-time' })
        .transform((v) => new Date(v).toISOString());
    case 'picklist':
      return z.enum(field.options as [string, ...string[]], `Must be one of: ${(field.options ?? []).join(', ')}`);
    case 'multiselect':
      return z
        .array(z.enum(field.options as [string, ...string[]], `Must be one of: ${(field.options ?? []).join(', ')}`))
        .refine((v) => new Set(v).size === v.length, 'Values must be unique');
    case 'boolean':
      return z.boolean('Must be true or false');
    case 'timezone':
      return z.string().trim().refine(isValidTimeZone, TIME_ZONE_MESSAGE);
    case 'lookup':
    case 'user':
      return z.string().trim().min(1).max(64);
  }
};

const isBlank = (value: unknown): boolean => value === null || (typeof value === 'string' && value.trim() === '');

export interface FieldValidation {
  values: FieldPatch;
  errors: FieldError[];
}

/**
 * Validates `fields` of a create (every required field present) or a patch (only what is sent;
 * null or "" clears). Unknown and read-only fields are errors. Paths are `fields.<name>`.
 * `allowReadOnly` is for automation (e.g. lead conversion sets `converted`).
 */
export const validateFieldValues = (
  module: Pick<ModuleMetadata, 'fields'>,
  input: Record<string, unknown>,
  mode: 'create' | 'patch',
  phoneRegion: string,
  options: { allowReadOnly?: boolean } = {},
): FieldValidation => {
  const byName = new Map(module.fields.map((f) => [f.name, f]));
  const errors: FieldError[] = [];
  const values: FieldPatch = {};
  for (const [name, raw] of Object.entries(input)) {
    const field = byName.get(name);
    const path = `fields.${name}`;
    if (!field) {
      errors.push({ path, message: 'Unknown field' });
      continue;
    }
    if (field.readOnly && !options.allowReadOnly) {
      errors.push({ path, message: 'This field is read-only' });
      continue;
    }
    if (raw === undefined) continue;
    if (isBlank(raw)) {
      if (field.required) errors.push({ path, message: 'This field is required' });
      else if (mode === 'patch') values[name] = null;
      continue;
    }
    const parsed = fieldValueSchema(field, phoneRegion).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else errors.push({ path, message: parsed.error.issues[0]?.message ?? 'Invalid value' });
  }
  if (mode === 'create') {
    for (const field of module.fields) {
      if (field.required && (values[field.name] === undefined || values[field.name] === null) && !errors.some((e) => e.path === `fields.${field.name}`)) {
        errors.push({ path: `fields.${field.name}`, message: 'This field is required' });
      }
    }
  }
  return { values, errors };
};

/** Old → new for each field a patch actually changes. */
export interface FieldChange {
  field: string;
  old: FieldValue | null;
  new: FieldValue | null;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const diffFields = (before: FieldValues, patch: FieldPatch): FieldChange[] =>
  Object.entries(patch)
    .filter(([name, value]) => !same(before[name], value))
    .map(([name, value]) => ({ field: name, old: before[name] ?? null, new: value }));

export const applyPatch = (before: FieldValues, patch: FieldPatch): FieldValues => {
  const after: FieldValues = { ...before };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete after[name];
    else after[name] = value;
  }
  return after;
};
