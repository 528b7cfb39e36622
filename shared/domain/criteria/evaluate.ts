import type { Condition, Criteria, CriteriaEntry, ValueTest } from './schema.js';

/** Where a condition reads its field: a record's field values, or a resolver (kiosks follow dotted paths). */
export type FieldSource = Readonly<Record<string, unknown>> | ((field: string) => unknown);

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

const read = (source: FieldSource, field: string): unknown => (typeof source === 'function' ? source(field) : Object.hasOwn(source, field) ? source[field] : undefined);

/** Missing, null, blank text and an empty multi-select are empty. */
export const isEmptyValue = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** A date (midnight UTC) or date-time as epoch milliseconds; undefined for anything else. */
const instant = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !(DATE.test(v) || DATE_TIME.test(v))) return undefined;
  const ms = Date.parse(DATE.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Numbers with numbers, dates and date-times by instant (a date-time in any offset); nothing else is ordered. */
const compare = (a: unknown, b: unknown): number | undefined => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = instant(a);
  const y = instant(b);
  return x !== undefined && y !== undefined ? x - y : undefined;
};

/** Equal values: same type and value; two date-times equal when they name the same instant. */
const same = (a: unknown, b: unknown): boolean => a === b || (typeof a === 'string' && typeof b === 'string' && DATE_TIME.test(a) && DATE_TIME.test(b) && compare(a, b) === 0);

/** A multi-select equals a value it contains; any other value equals it as a whole. */
const has = (actual: unknown, wanted: unknown): boolean => (Array.isArray(actual) ? actual.some((a) => same(a, wanted)) : same(actual, wanted));

/**
 * A relative date: dates count whole days from today (UTC), date-times count 24-hour days from now.
 * `withinLastDays 7`: from 7 days ago up to now; `moreThanDaysAgo 30`: before 30 days ago.
 */
const relative = (op: 'withinLastDays' | 'withinNextDays' | 'moreThanDaysAgo' | 'moreThanDaysAhead', days: number, actual: unknown, now: Date): boolean => {
  const at = instant(actual);
  if (at === undefined) return false;
  const origin = typeof actual === 'string' && DATE.test(actual) ? Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) : now.getTime();
  const span = days * DAY_MS;
  switch (op) {
    case 'withinLastDays':
      return at >= origin - span && at <= origin;
    case 'withinNextDays':
      return at >= origin && at <= origin + span;
    case 'moreThanDaysAgo':
      return at < origin - span;
    case 'moreThanDaysAhead':
      return at > origin + span;
  }
};

/**
 * One test of a value. A missing value is empty: it equals nothing, so `ne` and `notIn` hold and
 * every other comparison fails. Values of another type than the test's never match.
 */
export const testHolds = (test: ValueTest, actual: unknown, now: Date): boolean => {
  switch (test.op) {
    case 'isEmpty':
      return isEmptyValue(actual);
    case 'isNotEmpty':
      return !isEmptyValue(actual);
    case 'eq':
      return has(actual, test.value);
    case 'ne':
      return !has(actual, test.value);
    case 'in':
      return test.value.some((v) => has(actual, v));
    case 'notIn':
      return !test.value.some((v) => has(actual, v));
    case 'contains':
      return Array.isArray(actual) ? has(actual, test.value) : typeof actual === 'string' && actual.toLowerCase().includes(test.value.toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const d = compare(actual, test.value);
      if (d === undefined) return false;
      return test.op === 'gt' ? d > 0 : test.op === 'gte' ? d >= 0 : test.op === 'lt' ? d < 0 : d <= 0;
    }
    default:
      return relative(test.op, test.value, actual, now);
  }
};

export const conditionHolds = (condition: Condition, source: FieldSource, now: Date): boolean => testHolds(condition, read(source, condition.field), now);

const entryHolds = (entry: CriteriaEntry, source: FieldSource, now: Date): boolean => ('op' in entry ? conditionHolds(entry, source, now) : criteriaHold(entry, source, now));

/**
 * Whether the criteria hold for these field values at `now` (the clock relative dates count from).
 * Absent criteria hold for everything; `{ all: [] }` too.
 */
export const criteriaHold = (criteria: Criteria | undefined, source: FieldSource, now: Date): boolean => {
  if (!criteria) return true;
  return criteria.all ? criteria.all.every((e) => entryHolds(e, source, now)) : (criteria.any ?? []).some((e) => entryHolds(e, source, now));
};

/** Every condition of the criteria with the path it sits at (relative to the criteria: `all.2`, `any.0.all.1`). */
export const conditionsOf = (criteria: Criteria | undefined, at = ''): Array<{ condition: Condition; path: string }> => {
  if (!criteria) return [];
  const key = criteria.all ? 'all' : 'any';
  return (criteria.all ?? criteria.any ?? []).flatMap((e, i) => {
    const path = at ? `${at}.${key}.${i}` : `${key}.${i}`;
    return 'op' in e ? [{ condition: e, path }] : conditionsOf(e, path);
  });
};

/** The fields the criteria read. */
export const fieldsOf = (criteria: Criteria | undefined): string[] => [...new Set(conditionsOf(criteria).map((c) => c.condition.field))];
