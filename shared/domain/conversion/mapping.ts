import * as z from 'zod';
import type { FieldValue, FieldValues } from '../records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../records/module-definition.js';
import type { FieldError } from '../errors.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * Lead conversion (pure): which lead field fills which field of the contact, the account and the
 * deal. The effective mapping is the same-name fields of each target (e.g. `industry`, custom fields
 * alike), the standard pairs (`company` → account `name`), then the org's saved overrides; an override
 * of `null` drops a pair. Checked at save: both fields exist and the source's values fit the target.
 */
export const CONVERSION_TARGETS = ['contact', 'account', 'deal'] as const;
export type ConversionTarget = (typeof CONVERSION_TARGETS)[number];
export const TARGET_MODULE: Record<ConversionTarget, string> = { contact: 'Contacts', account: 'Accounts', deal: 'Deals' };

const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A field name (camelCase)'));
/** target field → lead field (or null: do not carry). */
const TargetMapping = lazySchema(() => z.record(FieldName, FieldName.nullable()).refine((m) => Object.keys(m).length <= 200, 'At most 200 fields'));

export const LeadConversionMappingSchema = lazySchema(() => z
  .strictObject({ contact: TargetMapping.default({}), account: TargetMapping.default({}), deal: TargetMapping.default({}) })
  .meta({ id: 'LeadConversionMapping' }));
export type LeadConversionMapping = z.infer<typeof LeadConversionMappingSchema>;

/** The effective pairs per target: target field → lead field. */
export type EffectiveMapping = Record<ConversionTarget, Record<string, string>>;

/** Fields no mapping may write: set by conversion itself, or read-only. */
const SET_BY_CONVERSION: Record<ConversionTarget, readonly string[]> = { contact: ['accountId'], account: [], deal: ['accountId', 'contactId'] };
const STANDARD_PAIRS: Record<ConversionTarget, Record<string, string>> = { contact: {}, account: { name: 'company' }, deal: {} };

const writable = (target: ConversionTarget, field: FieldDefinition) => !field.readOnly && field.type !== 'lookup' && !SET_BY_CONVERSION[target].includes(field.name);

const NUMERIC = ['number', 'currency', 'percent'];
const TEXTUAL = ['text', 'textarea'];

/** Whether every value of `source` is a valid value of `target` (why not, otherwise). */
export const typesFit = (source: FieldDefinition, target: FieldDefinition): string | undefined => {
  if (source.type === target.type) {
    if ((source.type === 'picklist' || source.type === 'multiselect') && target.options) {
      const missing = (source.options ?? []).filter((o) => !target.options!.includes(o));
      if (missing.length > 0) return `${target.name} lacks the options ${missing.slice(0, 5).join(', ')}`;
    }
    if (target.maxLength && (!source.maxLength || source.maxLength > target.maxLength)) return `${target.name} holds at most ${target.maxLength} characters`;
    return undefined;
  }
  if (NUMERIC.includes(source.type) && NUMERIC.includes(target.type)) return undefined;
  if (TEXTUAL.includes(target.type) && ['text', 'email', 'phone', 'picklist'].includes(source.type) && !target.maxLength) return undefined;
  if (target.type === 'textarea' && source.type === 'text') return undefined;
  return `A ${source.type} field cannot fill a ${target.type} field`;
};

/** Same-name and standard pairs, then the saved overrides (only pairs that still fit are kept by default). */
export const effectiveMapping = (saved: LeadConversionMapping | undefined, leads: ModuleMetadata, targets: Record<ConversionTarget, ModuleMetadata>): EffectiveMapping => {
  const leadFields = new Map(leads.fields.map((f) => [f.name, f]));
  const result = {} as EffectiveMapping;
  for (const target of CONVERSION_TARGETS) {
    const pairs: Record<string, string> = {};
    for (const field of targets[target].fields) {
      if (!writable(target, field)) continue;
      const source = leadFields.get(STANDARD_PAIRS[target][field.name] ?? field.name);
      if (source && source.name !== 'converted' && !typesFit(source, field)) pairs[field.name] = source.name;
    }
    for (const [to, from] of Object.entries(saved?.[target] ?? {})) {
      if (from === null) delete pairs[to];
      else pairs[to] = from;
    }
    result[target] = pairs;
  }
  return result;
};

/** Checks a mapping at save: each pair's fields exist, the target is writable, and the types fit. */
export const validateMapping = (mapping: LeadConversionMapping, leads: ModuleMetadata, targets: Record<ConversionTarget, ModuleMetadata>): FieldError[] => {
  const errors: FieldError[] = [];
  const leadFields = new Map(leads.fields.map((f) => [f.name, f]));
  for (const target of CONVERSION_TARGETS) {
    const targetFields = new Map(targets[target].fields.map((f) => [f.name, f]));
    for (const [to, from] of Object.entries(mapping[target])) {
      const path = `${target}.${to}`;
      const field = targetFields.get(to);
      if (!field) {
        errors.push({ path, message: `${targets[target].name} has no field ${to}` });
        continue;
      }
      if (from === null) continue;
      if (!writable(target, field)) {
        errors.push({ path, message: `${targets[target].name}.${to} is set by conversion or read-only` });
        continue;
      }
      const source = leadFields.get(from);
      if (!source || source.name === 'converted') {
        errors.push({ path, message: `Leads has no field ${from} to carry` });
        continue;
      }
      const misfit = typesFit(source, field);
      if (misfit) errors.push({ path, message: `Leads.${from} does not fit ${targets[target].name}.${to}: ${misfit}` });
    }
  }
  return errors;
};

/** The values a target gets from the lead (empty lead fields are skipped). */
export const mappedValues = (pairs: Record<string, string>, lead: FieldValues): FieldValues => {
  const values: Record<string, FieldValue> = {};
  for (const [to, from] of Object.entries(pairs)) {
    const value = lead[from];
    if (value !== undefined && value !== '') values[to] = value;
  }
  return values;
};
