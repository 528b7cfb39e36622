/**
 * The EventBridge event-pattern language as TypeScript types. They document the shape and let
 * subscription tables be written with `satisfies EventPattern`; they cannot express every rule
 * (operand ranges, wildcard escapes, `$or` arity), so `validatePattern` remains the authority.
 */

/** A JSON scalar: the only kind of event value a pattern ever compares against. */
export type JsonScalar = string | number | boolean | null;

export type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

/** `["=", n]`, a one-sided bound, or a lower bound followed by an upper bound (lower < upper). */
export type NumericCondition =
  | readonly ['=', number]
  | readonly ['<' | '<=' | '>' | '>=', number]
  | readonly ['>' | '>=', number, '<' | '<=', number];

type StringOrStrings = string | readonly string[];

/** What may follow `anything-but`: scalars and scalar lists, or one string operator. */
export type AnythingButOperand =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: StringOrStrings }
  | { readonly suffix: StringOrStrings }
  | { readonly 'equals-ignore-case': StringOrStrings }
  | { readonly wildcard: StringOrStrings };

/** One element of a field's match list; the elements of that list are OR-ed. */
export type EventPatternMatcher =
  | JsonScalar
  | { readonly prefix: string | { readonly 'equals-ignore-case': string } }
  | { readonly suffix: string | { readonly 'equals-ignore-case': string } }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': AnythingButOperand }
  | { readonly numeric: NumericCondition }
  | { readonly exists: boolean }
  | { readonly cidr: string };

/**
 * A pattern object: every named field must match (AND). A field maps to a list of matchers
 * (a leaf), to a nested pattern, or — for the `$or` key — to two or more alternative patterns.
 */
export interface EventPattern {
  readonly $or?: readonly EventPattern[];
  readonly [field: string]: readonly EventPatternMatcher[] | EventPattern | readonly EventPattern[] | undefined;
}
