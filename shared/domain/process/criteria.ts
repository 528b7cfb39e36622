import { z } from 'zod';
import type { FieldValues } from '../records/field-values.js';
import type { ModuleMetadata } from '../records/module-definition.js';
import type { FieldError } from '../errors.js';

const FieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A camelCase field name');
const Scalar = z.union([z.string().max(255), z.number().finite(), z.boolean()]);

/** One condition on a record field. `empty`/`notEmpty` take no value; `in` takes a list. */
export const ConditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ field: FieldName, op: z.enum(['eq', 'ne']), value: Scalar }),
  z.strictObject({ field: FieldName, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.union([z.number().finite(), z.iso.date(), z.iso.datetime({ offset: true })]) }),
  z.strictObject({ field: FieldName, op: z.literal('in'), value: z.array(Scalar).min(1).max(100) }),
  z.strictObject({ field: FieldName, op: z.enum(['empty', 'notEmpty']) }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

/** All conditions must hold (an empty list always holds). */
export const CriteriaSchema = z.array(ConditionSchema).max(25).default([]).meta({ id: 'Criteria' });
export type Criteria = z.infer<typeof CriteriaSchema>;

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

const compare = (a: unknown, b: number | string): number | undefined => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
};

export const conditionHolds = (c: Condition, fields: Readonly<FieldValues>): boolean => {
  const v = fields[c.field];
  switch (c.op) {
    case 'empty':
      return isEmpty(v);
    case 'notEmpty':
      return !isEmpty(v);
    case 'eq':
      return Array.isArray(v) ? v.includes(String(c.value)) : v === c.value;
    case 'ne':
      return Array.isArray(v) ? !v.includes(String(c.value)) : v !== c.value;
    case 'in':
      return c.value.some((x) => (Array.isArray(v) ? v.includes(String(x)) : v === x));
    default: {
      const d = compare(v, c.value);
      if (d === undefined) return false;
      return c.op === 'gt' ? d > 0 : c.op === 'gte' ? d >= 0 : c.op === 'lt' ? d < 0 : d <= 0;
    }
  }
};

export const criteriaHold = (criteria: readonly Condition[], fields: Readonly<FieldValues>): boolean => criteria.every((c) => conditionHolds(c, fields));

/** Every condition names a field of the module, with a value of its type (picklists: one of its options). */
export const validateCriteria = (criteria: readonly Condition[], module: Pick<ModuleMetadata, 'fields'>, path: string): FieldError[] => {
  const errors: FieldError[] = [];
  criteria.forEach((c, i) => {
    const field = module.fields.find((f) => f.name === c.field);
    if (!field) {
      errors.push({ path: `${path}.${i}.field`, message: `No field ${c.field} in this module` });
      return;
    }
    if (!('value' in c)) return;
    const values = Array.isArray(c.value) ? c.value : [c.value];
    const numeric = ['number', 'currency', 'percent'].includes(field.type);
    for (const value of values) {
      if (numeric && typeof value !== 'number') errors.push({ path: `${path}.${i}.value`, message: `A ${field.type} field compares with numbers` });
      else if (field.type === 'boolean' && typeof value !== 'boolean') errors.push({ path: `${path}.${i}.value`, message: 'A boolean field compares with true or false' });
      else if ((field.type === 'picklist' || field.type === 'multiselect') && !field.options?.includes(String(value))) {
        errors.push({ path: `${path}.${i}.value`, message: `Must be one of: ${(field.options ?? []).join(', ')}` });
      }
    }
  });
  return errors;
};
