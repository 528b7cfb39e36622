import type { Criterion } from './definition.js';

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const same = (actual: unknown, expected: unknown): boolean => {
  if (Array.isArray(actual)) return actual.some((a) => a === expected);
  return actual === expected;
};

/** One criterion against a record's field values (a multiselect equals a value it contains). */
export const matchesCriterion = (criterion: Criterion, fields: Readonly<Record<string, unknown>>): boolean => {
  const actual = fields[criterion.field];
  switch (criterion.op) {
    case 'isSet':
      return !isEmpty(actual);
    case 'isEmpty':
      return isEmpty(actual);
    case 'equals':
      return same(actual, criterion.value);
    case 'notEquals':
      return !same(actual, criterion.value);
    case 'in':
      return Array.isArray(criterion.value) && criterion.value.some((v) => same(actual, v));
  }
};

/** All criteria hold (an empty list holds for every record). */
export const matchesAll = (criteria: readonly Criterion[], fields: Readonly<Record<string, unknown>>): boolean => criteria.every((c) => matchesCriterion(c, fields));

/**
 * Unenrollment criteria hold: all of them, and there is at least one (an empty list never unenrolls).
 */
export const meetsUnenrollment = (criteria: readonly Criterion[], fields: Readonly<Record<string, unknown>>): boolean =>
  criteria.length > 0 && matchesAll(criteria, fields);
