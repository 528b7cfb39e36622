import { numberFieldProblem } from '../records/field-values.js';
import { conditionsOf } from './evaluate.js';
import { EMPTINESS_OPS, EQUALITY_OPS, MEMBERSHIP_OPS, ORDERING_OPS, RELATIVE_DATE_OPS, type Condition, type Criteria, type Operator } from './schema.js';

/** A problem in a definition's criteria, at a path in the definition (`criteria.all.2.field`). */
export interface CriteriaIssue {
  path: string;
  message: string;
}

/** What validation needs to know of a field. `type: 'unknown'` (a kiosk's reference) takes any operator and value. */
export interface CriteriaField {
  name: string;
  type: string;
  options?: readonly string[] | undefined;
}

const TEXT = ['text', 'textarea', 'email', 'phone'];
const NUMERIC = ['number', 'currency', 'percent'];
const DATES = ['date', 'datetime'];
const BASIC: readonly Operator[] = [...EQUALITY_OPS, ...MEMBERSHIP_OPS, ...EMPTINESS_OPS];

/** The operators each field type takes. */
export const operatorsFor = (type: string): readonly Operator[] => {
  if (TEXT.includes(type)) return [...BASIC, 'contains'];
  if (NUMERIC.includes(type)) return [...BASIC, ...ORDERING_OPS];
  if (DATES.includes(type)) return [...BASIC, ...ORDERING_OPS, ...RELATIVE_DATE_OPS];
  if (type === 'multiselect') return [...BASIC, 'contains'];
  if (type === 'boolean') return [...EQUALITY_OPS, ...EMPTINESS_OPS];
  if (type === 'unknown') return [...BASIC, ...ORDERING_OPS, 'contains', ...RELATIVE_DATE_OPS];
  return BASIC; // picklist, lookup, user
};

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const isDateTime = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/** Why `value` cannot be compared with a value of this field (undefined if it can). */
const valueProblem = (field: CriteriaField, op: Operator, value: unknown): string | undefined => {
  if (field.type === 'unknown') return undefined;
  if (NUMERIC.includes(field.type)) return typeof value !== 'number' ? `${field.name} is a ${field.type} field: compare it with a number` : numberFieldProblem({ type: field.type as 'number' }, value);
  if (field.type === 'boolean') return typeof value !== 'boolean' ? `${field.name} is a boolean field: compare it with true or false` : undefined;
  if (field.type === 'date') return isDate(value) ? undefined : `${field.name} is a date field: compare it with a date (YYYY-MM-DD)`;
  if (field.type === 'datetime') return isDate(value) || isDateTime(value) ? undefined : `${field.name} is a date-time field: compare it with an ISO 8601 date-time or a date`;
  if (field.type === 'picklist' || field.type === 'multiselect') {
    return typeof value === 'string' && field.options?.includes(value) ? undefined : `Must be one of: ${(field.options ?? []).join(', ')}`;
  }
  if (op === 'contains') return undefined;
  return typeof value !== 'string' ? `${field.name} is a ${field.type} field: compare it with text` : undefined;
};

/** Checks one condition (at `at`: `trigger.to`, `criteria.all.2`) against the field it reads. */
export const validateCondition = (condition: Condition, fieldOf: (name: string) => CriteriaField | undefined, at: string, label = 'The module'): CriteriaIssue[] => {
  const field = fieldOf(condition.field);
  if (!field) return [{ path: `${at}.field`, message: `${label} has no field ${condition.field}` }];
  if (!operatorsFor(field.type).includes(condition.op)) {
    return [{ path: `${at}.op`, message: `${condition.op} does not apply to ${field.name} (a ${field.type} field); use one of: ${operatorsFor(field.type).join(', ')}` }];
  }
  if (!('value' in condition) || RELATIVE_DATE_OPS.some((op) => op === condition.op)) return [];
  const values: unknown[] = Array.isArray(condition.value) ? condition.value : [condition.value];
  return values.flatMap((value, i) => {
    const problem = valueProblem(field, condition.op, value);
    return problem ? [{ path: Array.isArray(condition.value) ? `${at}.value.${i}` : `${at}.value`, message: problem }] : [];
  });
};

/**
 * Checks criteria against the fields they may read: each field exists, the operator applies to its
 * type, and each value is a value of the field (a picklist's options, numbers for numbers, ISO dates
 * for dates). `path` is where the criteria sit in the definition; issues point below it
 * (`criteria.all.2.field`). `label` names what has the fields ("Deals", "this wizard").
 */
export const validateCriteria = (
  criteria: Criteria | undefined,
  fields: ReadonlyArray<CriteriaField> | ((name: string) => CriteriaField | undefined),
  path: string,
  label = 'The module',
): CriteriaIssue[] => {
  const fieldOf = typeof fields === 'function' ? fields : (name: string) => fields.find((f) => f.name === name);
  return conditionsOf(criteria).flatMap(({ condition, path: at }) => validateCondition(condition, fieldOf, `${path}.${at}`, label));
};
