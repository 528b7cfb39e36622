import { InvalidEventPatternError, childPath } from './errors.js';
import { describe, isPlainObject } from './json.js';
import { OPERATOR_NAMES, compileMatcher, type ValueTest } from './operators.js';

/** The condition on one flattened field path (`detail.state`) within one `$or` branch. */
export interface FieldTest {
  readonly path: string;
  /** True if a present leaf value satisfies the field's match list (OR of its elements). */
  readonly accepts: ValueTest;
  /** True if the list contains `{ "exists": false }`, so the field may also be missing. */
  readonly mayBeAbsent: boolean;
}

/** All field tests of one `$or` alternative; every one must hold (AND). */
export type Branch = readonly FieldTest[];

export interface CompiledPattern {
  /** The pattern with every `$or` multiplied out, as AWS does; the pattern matches if any branch does. */
  readonly branches: readonly Branch[];
  /** Every dotted prefix of a field path, so event flattening can skip what no field can reach. */
  readonly pathPrefixes: ReadonlySet<string>;
}

/** AWS rejects a pattern whose `$or`s multiply out to more branches than this. */
export const MAX_OR_COMBINATIONS = 1000;

/** Names AWS reserves for operators (current and future); they cannot be field names inside `$or`. */
const RESERVED_IN_OR = new Set([
  ...OPERATOR_NAMES,
  'exactly',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const fail = (path: string, reason: string): never => {
  throw new InvalidEventPatternError(path, reason);
};

const compileField = (list: readonly unknown[], path: string, errorPath: string): FieldTest => {
  if (list.length === 0) return fail(errorPath, 'empty arrays are not allowed; list at least one match value');
  const tests: ValueTest[] = [];
  let mayBeAbsent = false;
  list.forEach((element, i) => {
    const matcher = compileMatcher(element, childPath(errorPath, i));
    if (matcher.kind === 'absent') mayBeAbsent = true;
    else tests.push(matcher.test);
  });
  const [only] = tests;
  const accepts: ValueTest =
    tests.length === 0 ? () => false : tests.length === 1 && only ? only : (v) => tests.some((test) => test(v));
  return { path, accepts, mayBeAbsent };
};

/** `a.b.c` → `a`, `a.b`, `a.b.c`: the event paths that can lead to this field. */
const dottedPrefixes = (path: string): string[] => {
  const prefixes = [path];
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) prefixes.push(path.slice(0, i));
  return prefixes;
};

/**
 * Validates a pattern and flattens it the way AWS's matcher (Ruler) does: nested keys join with
 * `.` into field paths, and each `$or` forks the branches built so far. A field named twice on the
 * same path (e.g. `"a.b"` and `a: { b }`) keeps the last definition, as AWS documents.
 */
export const compilePattern = (pattern: unknown): CompiledPattern => {
  if (!isPlainObject(pattern)) return fail('$', `an event pattern must be a JSON object, got ${describe(pattern)}`);
  let branches: Map<string, FieldTest>[] = [new Map()];

  const expandOr = (alternatives: unknown, prefix: string | undefined, errorPath: string): void => {
    if (!Array.isArray(alternatives) || alternatives.length < 2) {
      const got = Array.isArray(alternatives) ? `${alternatives.length} alternative(s)` : describe(alternatives);
      fail(errorPath, `"$or" must be an array of at least two pattern objects, got ${got}`);
      return;
    }
    const before = branches;
    const after: Map<string, FieldTest>[] = [];
    alternatives.forEach((alternative, i) => {
      const at = childPath(errorPath, i);
      if (!isPlainObject(alternative)) {
        fail(at, `each "$or" alternative must be a pattern object, got ${describe(alternative)}`);
      }
      branches = before.map((branch) => new Map(branch));
      walk(alternative as Record<string, unknown>, prefix, at, true);
      after.push(...branches);
      if (after.length > MAX_OR_COMBINATIONS) {
        fail(errorPath, `"$or" expands to more than ${MAX_OR_COMBINATIONS} combinations, the AWS limit`);
      }
    });
    branches = after;
  };

  const walk = (
    node: Record<string, unknown>,
    prefix: string | undefined,
    errorPath: string,
    insideOr: boolean,
  ): void => {
    const keys = Object.keys(node);
    if (keys.length === 0) fail(errorPath, 'empty objects are not allowed');
    for (const key of keys) {
      const child = node[key];
      const at = childPath(errorPath, key);
      if (key === '$or') {
        expandOr(child, prefix, at);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(key)) {
        fail(at, `"${key}" is a reserved operator name and cannot be a field inside "$or"`);
      }
      const path = prefix === undefined ? key : `${prefix}.${key}`;
      if (Array.isArray(child)) {
        const test = compileField(child, path, at);
        for (const branch of branches) branch.set(path, test);
      } else if (isPlainObject(child)) {
        walk(child, path, at, insideOr);
      } else {
        fail(at, `a field must map to an array of match values or to a nested object, got ${describe(child)}`);
      }
    }
  };

  walk(pattern, undefined, '$', false);
  const pathPrefixes = new Set<string>();
  for (const branch of branches) {
    for (const path of branch.keys()) for (const prefix of dottedPrefixes(path)) pathPrefixes.add(prefix);
  }
  return { branches: branches.map((branch) => [...branch.values()]), pathPrefixes };
};
