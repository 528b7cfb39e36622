import * as z from 'zod';
import type { FieldValue } from '../records/field-values.js';

const scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

const comparisons = {
  equality: z.object({ op: z.enum(['eq', 'ne']), value: scalar }),
  ordering: z.object({ op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.union([z.number().finite(), z.string().max(64)]) }),
  membership: z.object({ op: z.literal('in'), value: z.array(scalar).min(1).max(100) }),
  contains: z.object({ op: z.literal('contains'), value: z.string().min(1).max(1000) }),
  emptiness: z.object({ op: z.enum(['isEmpty', 'isNotEmpty']) }),
};
const field = z.string().min(1);

/** A test of one value (a trigger's `to`). `in` takes a list; `isEmpty`/`isNotEmpty` take no value. */
export const ValueConditionSchema = z.discriminatedUnion('op', [
  comparisons.equality.strict(),
  comparisons.ordering.strict(),
  comparisons.membership.strict(),
  comparisons.contains.strict(),
  comparisons.emptiness.strict(),
]);
export type ValueCondition = z.infer<typeof ValueConditionSchema>;

/** One condition on a record field. */
export const ConditionSchema = z.discriminatedUnion('op', [
  comparisons.equality.extend({ field }).strict(),
  comparisons.ordering.extend({ field }).strict(),
  comparisons.membership.extend({ field }).strict(),
  comparisons.contains.extend({ field }).strict(),
  comparisons.emptiness.extend({ field }).strict(),
]);
export type Condition = z.infer<typeof ConditionSchema>;

/** All of `all` and, when given, at least one of `any`. Absent criteria match every record. */
export const CriteriaSchema = z
  .object({ all: z.array(ConditionSchema).max(20).optional(), any: z.array(ConditionSchema).min(1).max(20).optional() })
  .strict();
export type Criteria = z.infer<typeof CriteriaSchema>;

type Fields = Readonly<Record<string, FieldValue | null | undefined>>;

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

const compare = (a: unknown, b: unknown): number | undefined => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Dates and date-times compare as ISO strings.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
};

/** Evaluates one condition against field values (a missing field is empty; mismatched types never match). */
export const evaluateCondition = (c: Condition, fields: Fields): boolean => {
  const v = fields[c.field];
  switch (c.op) {
    case 'isEmpty':
      return isEmpty(v);
    case 'isNotEmpty':
      return !isEmpty(v);
    case 'eq':
      return Array.isArray(v) ? v.includes(c.value as string) : v === c.value;
    case 'ne':
      return Array.isArray(v) ? !v.includes(c.value as string) : v !== c.value;
    case 'in':
      return Array.isArray(v) ? v.some((x) => c.value.includes(x)) : c.value.includes(v as string | number | boolean);
    case 'contains':
      return Array.isArray(v) ? v.includes(c.value) : typeof v === 'string' && v.toLowerCase().includes(c.value.toLowerCase());
    default: {
      const d = compare(v, c.value);
      if (d === undefined) return false;
      return c.op === 'gt' ? d > 0 : c.op === 'gte' ? d >= 0 : c.op === 'lt' ? d < 0 : d <= 0;
    }
  }
};

export const evaluateCriteria = (criteria: Criteria | undefined, fields: Fields): boolean =>
  !criteria || ((criteria.all ?? []).every((c) => evaluateCondition(c, fields)) && (!criteria.any || criteria.any.some((c) => evaluateCondition(c, fields))));
