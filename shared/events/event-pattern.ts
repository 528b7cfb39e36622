/**
 * The EventBridge event-pattern language, as a pure module. The local event router uses it to
 * decide which subscriptions (functions/subscriptions.ts) an event reaches, so it follows AWS's
 * semantics — as documented, and as AWS's own matcher (aws/event-ruler) behaves where the docs are
 * silent — closely enough that a rule behaves the same locally and on the real bus.
 *
 * Helpers live in ./event-pattern/: compile.ts (validation, `$or` expansion), operators.ts (one
 * match-list element), match.ts (event flattening and array-consistent matching), ip.ts, wildcard.ts.
 */
import { compilePattern, type CompiledPattern } from './event-pattern/compile.js';
import { isPlainObject } from './event-pattern/json.js';
import { branchMatches, indexEvent } from './event-pattern/match.js';
import type { EventPattern } from './event-pattern/types.js';

export { InvalidEventPatternError } from './event-pattern/errors.js';
export { MAX_OR_COMBINATIONS } from './event-pattern/compile.js';
export type {
  AnythingButOperand,
  EventPattern,
  EventPatternMatcher,
  JsonScalar,
  NumericCondition,
  NumericOperator,
} from './event-pattern/types.js';

/**
 * Compiled patterns by identity. Patterns are treated as immutable values (they come from the
 * subscription table), so matching one against every event on the bus compiles it once.
 */
const compiled = new WeakMap<object, CompiledPattern>();

const compile = (pattern: unknown): CompiledPattern => {
  if (typeof pattern !== 'object' || pattern === null) return compilePattern(pattern);
  let result = compiled.get(pattern);
  if (result === undefined) {
    result = compilePattern(pattern);
    compiled.set(pattern, result);
  }
  return result;
};

/**
 * Asserts that `pattern` is a well-formed event pattern, throwing `InvalidEventPatternError`
 * (with the JSON path at fault) otherwise. The rules are AWS's, so a pattern that passes here is
 * one `PutRule` accepts — except for AWS's wildcard-complexity limit, which is not modelled.
 */
export function validatePattern(pattern: unknown): asserts pattern is EventPattern {
  compile(pattern);
}

/** `validatePattern` as an expression: returns the pattern, typed. */
export const asEventPattern = (pattern: unknown): EventPattern => {
  validatePattern(pattern);
  return pattern;
};

/**
 * True iff `event` matches `pattern` under EventBridge semantics. Throws
 * `InvalidEventPatternError` for a malformed pattern: a broken subscription must fail loudly rather
 * than silently match nothing. An event that is not a JSON object matches no pattern.
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  const { branches, pathPrefixes } = compile(pattern);
  if (!isPlainObject(event)) return false;
  const index = indexEvent(event, pathPrefixes);
  return branches.some((branch) => branchMatches(branch, index));
};
