import { InvalidEventPatternError, childPath } from './errors.js';
import { cidrContains, parseCidr, parseIp, sameIp } from './ip.js';
import { describe, isFiniteNumber, isJsonScalar, isPlainObject } from './json.js';
import type { JsonScalar } from './types.js';
import { parseWildcard, wildcardMatches } from './wildcard.js';

/** A test on one leaf value of the event (a string, number, boolean or null). */
export type ValueTest = (value: JsonScalar) => boolean;

/** One compiled element of a field's match list: a value test, or `exists: false`. */
export type CompiledMatcher = { readonly kind: 'value'; readonly test: ValueTest } | { readonly kind: 'absent' };

const fail = (path: string, reason: string): never => {
  throw new InvalidEventPatternError(path, reason);
};

const value = (test: ValueTest): CompiledMatcher => ({ kind: 'value', test });

const isString = (v: JsonScalar): v is string => typeof v === 'string';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Regex source accepting, for each UTF-16 unit of `text`, its lower- or upper-case form. This is
 * how AWS's matcher (Ruler) implements `equals-ignore-case`: it folds the pattern, not the event.
 */
const caseInsensitiveSource = (text: string): string => {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charAt(i);
    const forms = [...new Set([unit.toLowerCase(), unit.toUpperCase()])].map(escapeRegExp);
    source += forms.length === 1 ? (forms[0] ?? '') : `(?:${forms.join('|')})`;
  }
  return source;
};

const ignoreCase = (text: string, anchor: 'whole' | 'start' | 'end'): ValueTest => {
  const source = caseInsensitiveSource(text);
  const anchored = anchor === 'whole' ? `^${source}$` : anchor === 'start' ? `^${source}` : `${source}$`;
  const regex = new RegExp(anchored);
  return (v) => isString(v) && regex.test(v);
};

const wildcard = (pattern: unknown, path: string): ValueTest => {
  if (typeof pattern !== 'string') return fail(path, `a wildcard pattern must be a string, got ${describe(pattern)}`);
  const segments = parseWildcard(pattern);
  if (typeof segments === 'string') return fail(path, `wildcard ${JSON.stringify(pattern)}: ${segments}`);
  return (v) => isString(v) && wildcardMatches(segments, v);
};

/** An exact scalar. A string that is an IP address literal is compared as an address, as AWS does. */
const exact = (expected: JsonScalar, path: string): ValueTest => {
  if (typeof expected === 'number' && !Number.isFinite(expected)) return fail(path, 'numbers must be finite');
  if (typeof expected === 'string') {
    const ip = parseIp(expected);
    if (ip !== undefined) {
      return (v) => {
        if (v === expected) return true;
        const other = isString(v) ? parseIp(v) : undefined;
        return other !== undefined && sameIp(other, ip);
      };
    }
  }
  // Numbers compare by value, so a pattern 300 matches 300.0 and 3.0e2.
  return (v) => v === expected;
};

/** `prefix` and `suffix`: a string, or `{ "equals-ignore-case": string }`. */
const affix = (operator: 'prefix' | 'suffix', operand: unknown, path: string): ValueTest => {
  if (typeof operand === 'string') {
    if (operator === 'prefix') return (v) => isString(v) && v.startsWith(operand);
    return (v) => isString(v) && v.endsWith(operand);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      const got = JSON.stringify(keys);
      return fail(path, `"${operator}" accepts a string or { "equals-ignore-case": string }, got keys ${got}`);
    }
    const text = operand['equals-ignore-case'];
    if (typeof text !== 'string') {
      return fail(childPath(path, 'equals-ignore-case'), `must be a string, got ${describe(text)}`);
    }
    return ignoreCase(text, operator === 'prefix' ? 'start' : 'end');
  }
  return fail(path, `"${operator}" must be a string or { "equals-ignore-case": string }, got ${describe(operand)}`);
};

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const compare = (operator: string, bound: number): ((n: number) => boolean) => {
  switch (operator) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    default:
      return (n) => n >= bound;
  }
};

/**
 * `numeric`: `["=", n]`, one bound, or a lower bound followed by an upper bound with lower < upper
 * (the only shapes AWS accepts). Only JSON numbers ever match; the string "5" does not.
 */
const numeric = (operand: unknown, path: string): ValueTest => {
  if (!Array.isArray(operand)) {
    return fail(path, `"numeric" must be an array such as [">", 0, "<=", 5], got ${describe(operand)}`);
  }
  const [operator, bound] = operand as unknown[];
  if (typeof operator !== 'string' || !NUMERIC_OPERATORS.has(operator)) {
    return fail(childPath(path, 0), `expected a numeric operator (=, <, <=, >, >=), got ${describe(operator)}`);
  }
  if (!isFiniteNumber(bound)) {
    return fail(childPath(path, 1), `the operand of "${operator}" must be a finite number, got ${describe(bound)}`);
  }
  const first = compare(operator, bound);
  if (operand.length === 2) return (v) => isFiniteNumber(v) && first(v);
  if (operator !== '>' && operator !== '>=') {
    return fail(path, `"${operator}" must be the only comparison; a range is [">" | ">=", lower, "<" | "<=", upper]`);
  }
  if (operand.length !== 4) return fail(path, `a numeric range has exactly 4 elements, got ${operand.length}`);
  const [, , upperOperator, upper] = operand as unknown[];
  if (upperOperator !== '<' && upperOperator !== '<=') {
    return fail(childPath(path, 2), `the upper bound operator must be "<" or "<=", got ${describe(upperOperator)}`);
  }
  if (!isFiniteNumber(upper)) {
    const reason = `the operand of "${upperOperator}" must be a finite number, got ${describe(upper)}`;
    return fail(childPath(path, 3), reason);
  }
  if (!(bound < upper)) return fail(path, `the lower bound ${bound} must be below the upper bound ${upper}`);
  const second = compare(upperOperator, upper);
  return (v) => isFiniteNumber(v) && first(v) && second(v);
};

const cidr = (operand: unknown, path: string): ValueTest => {
  if (typeof operand !== 'string') {
    return fail(path, `"cidr" must be a string such as "10.0.0.0/24", got ${describe(operand)}`);
  }
  const range = parseCidr(operand);
  if (typeof range === 'string') return fail(path, range);
  return (v) => {
    const address = isString(v) ? parseIp(v) : undefined;
    return address !== undefined && cidrContains(range, address);
  };
};

/** A non-empty string or non-empty list of strings: the operand of the anything-but string operators. */
const stringList = (operand: unknown, path: string, what: string, allowEmptyString: boolean): readonly string[] => {
  const list: unknown[] = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0) return fail(path, `${what} must not be an empty list`);
  list.forEach((item, i) => {
    const at = Array.isArray(operand) ? childPath(path, i) : path;
    if (typeof item !== 'string') fail(at, `${what} must be a string or a list of strings, got ${describe(item)}`);
    else if (!allowEmptyString && item === '') fail(at, `${what} must not be an empty string`);
  });
  return list as string[];
};

const ANYTHING_BUT_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];

/**
 * `anything-but`: matches any present leaf value (of any type, null included) that the operand
 * does not match. Like every leaf condition it needs the field to be present.
 */
const anythingBut = (operand: unknown, path: string): ValueTest => {
  if (typeof operand === 'string' || isFiniteNumber(operand)) return (v) => v !== operand;
  if (Array.isArray(operand)) {
    if (operand.length === 0) return fail(path, '"anything-but" must not be an empty list');
    const kind = typeof operand[0];
    operand.forEach((item, i) => {
      const ok = kind === 'string' ? typeof item === 'string' : isFiniteNumber(item);
      if (!ok) {
        fail(childPath(path, i), `"anything-but" lists hold only strings or only numbers, got ${describe(item)}`);
      }
    });
    const excluded = new Set<JsonScalar>(operand as JsonScalar[]);
    return (v) => !excluded.has(v);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const [operator] = keys;
    if (keys.length !== 1 || operator === undefined || !ANYTHING_BUT_OPERATORS.includes(operator)) {
      const got = JSON.stringify(keys);
      return fail(path, `"anything-but" accepts one of ${ANYTHING_BUT_OPERATORS.join(', ')}, got keys ${got}`);
    }
    const at = childPath(path, operator);
    const inner = operand[operator];
    // AWS rejects an empty prefix/suffix here (it would exclude every string), but not an empty wildcard.
    const allowEmpty = operator === 'wildcard' || operator === 'equals-ignore-case';
    const texts = stringList(inner, at, `"anything-but" / "${operator}"`, allowEmpty);
    const tests: ValueTest[] = texts.map((text, i) => {
      const textPath = Array.isArray(inner) ? childPath(at, i) : at;
      if (operator === 'prefix') return (v) => isString(v) && v.startsWith(text);
      if (operator === 'suffix') return (v) => isString(v) && v.endsWith(text);
      if (operator === 'equals-ignore-case') return ignoreCase(text, 'whole');
      return wildcard(text, textPath);
    });
    return (v) => !tests.some((test) => test(v));
  }
  return fail(
    path,
    `"anything-but" must be a string, a number, a list of strings or numbers, or an object, got ${describe(operand)}`,
  );
};

/** The operator names AWS reserves; also rejected as field names inside `$or`. */
export const OPERATOR_NAMES = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
];

/** Validates and compiles one element of a field's match list. */
export const compileMatcher = (element: unknown, path: string): CompiledMatcher => {
  if (isJsonScalar(element)) return value(exact(element, path));
  if (!isPlainObject(element)) {
    const got = describe(element);
    return fail(path, `a match value must be a string, number, boolean, null or an operator object, got ${got}`);
  }
  const keys = Object.keys(element);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) {
    return fail(path, `an operator object must have exactly one key, got ${JSON.stringify(keys)}`);
  }
  const at = childPath(path, operator);
  const operand = element[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return value(affix(operator, operand, at));
    case 'equals-ignore-case':
      if (typeof operand !== 'string') return fail(at, `must be a string, got ${describe(operand)}`);
      return value(ignoreCase(operand, 'whole'));
    case 'wildcard':
      return value(wildcard(operand, at));
    case 'anything-but':
      return value(anythingBut(operand, at));
    case 'numeric':
      return value(numeric(operand, at));
    case 'cidr':
      return value(cidr(operand, at));
    case 'exists':
      if (typeof operand !== 'boolean') return fail(at, `must be true or false, got ${describe(operand)}`);
      // exists: true holds for any leaf value, null included; objects and arrays are not leaves.
      return operand ? value(() => true) : { kind: 'absent' };
    default:
      return fail(
        path,
        `unknown operator ${JSON.stringify(operator)} (operators are case-sensitive: ${OPERATOR_NAMES.join(', ')})`,
      );
  }
};
