import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern, type EventPattern, type EventPatternMatcher, type JsonScalar } from '../../../shared/events/event-pattern.js';

// Property-based checks of the algebra the AWS docs describe: fields AND, list values OR, `$or` OR,
// anything-but excludes its members, numeric/wildcard/cidr/equals-ignore-case behave as specified.

const isScalar = (value: unknown): value is JsonScalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const key = fc.stringMatching(/^[a-z][a-z-]{0,5}$/);
const scalar: fc.Arbitrary<JsonScalar> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** JSON-like events: nested objects and arrays with scalar leaves, keys free of dots. */
const { event: eventArb } = fc.letrec<{ value: unknown; event: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('event')),
  event: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

/** A pattern naming every scalar of the event (arrays contribute all their scalars). */
const patternFrom = (event: Record<string, unknown>): Record<string, unknown> | undefined => {
  const pattern: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(event)) {
    if (isScalar(value)) pattern[field] = [value];
    else if (Array.isArray(value)) {
      const scalars = (value.flat(Number.POSITIVE_INFINITY) as unknown[]).filter(isScalar);
      if (scalars.length > 0) pattern[field] = scalars;
    } else if (typeof value === 'object' && value !== null) {
      const nested = patternFrom(value as Record<string, unknown>);
      if (nested) pattern[field] = nested;
    }
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
};

/** A small shared vocabulary so random patterns and events actually meet. */
const FIELDS = ['a', 'b', 'c'] as const;
const vocabularyValue = fc.constantFrom<JsonScalar>(1, 2, 3.5, 'x', 'y', 'Xy', null, true);
const matcher: fc.Arbitrary<EventPatternMatcher> = fc.oneof(
  vocabularyValue,
  fc.constantFrom<EventPatternMatcher>(
    { prefix: 'x' },
    { suffix: 'y' },
    { 'equals-ignore-case': 'XY' },
    { wildcard: '*y' },
    { 'anything-but': 'x' },
    { 'anything-but': [1, 2] },
    { 'anything-but': { prefix: 'X' } },
    { numeric: ['>', 1] },
    { numeric: ['>=', 1, '<', 3] },
    { exists: true },
    { exists: false },
  ),
);
const matchList = fc.array(matcher, { minLength: 1, maxLength: 3 });
const smallPattern: fc.Arbitrary<EventPattern> = fc
  .record(
    { a: matchList, b: matchList, c: matchList, d: fc.record({ x: matchList, y: matchList }, { requiredKeys: ['x'] }) },
    { requiredKeys: [] },
  )
  // One or two fields: larger conjunctions almost never match random events, which would make the
  // properties below vacuous.
  .filter((pattern) => Object.keys(pattern).length > 0 && Object.keys(pattern).length <= 2);
const smallValue = fc.oneof(vocabularyValue, fc.array(vocabularyValue, { maxLength: 3 }));
const smallEvent = fc.record(
  {
    a: smallValue,
    b: smallValue,
    c: smallValue,
    d: fc.oneof(
      fc.record({ x: smallValue, y: smallValue }, { requiredKeys: [] }),
      fc.array(fc.record({ x: smallValue, y: smallValue }, { requiredKeys: [] }), { maxLength: 3 }),
    ),
  },
  { requiredKeys: [] },
);

describe('event-pattern properties', () => {
  it('a pattern built from an event’s own leaf values always matches it', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const pattern = patternFrom(event);
        fc.pre(pattern !== undefined);
        expect(matchesPattern(pattern as EventPattern, event)).toBe(true);
      }),
    );
  });

  it('removing a field the pattern names makes the self-built pattern fail', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const field = Object.keys(event).find((name) => isScalar(event[name]));
        fc.pre(field !== undefined);
        const pattern = patternFrom(event) as EventPattern;
        const { [field as string]: _removed, ...rest } = event;
        expect(matchesPattern(pattern, rest)).toBe(false);
      }),
    );
  });

  it('$or of A and B matches exactly when A or B matches', () => {
    fc.assert(
      fc.property(smallPattern, smallPattern, smallEvent, (a, b, event) => {
        expect(matchesPattern({ $or: [a, b] }, event)).toBe(matchesPattern(a, event) || matchesPattern(b, event));
      }),
    );
  });

  it('fields on disjoint top-level keys are AND-ed', () => {
    fc.assert(
      fc.property(smallPattern, smallPattern, smallEvent, (a, b, event) => {
        const own = (p: EventPattern, names: readonly string[]): EventPattern =>
          Object.fromEntries(Object.entries(p).filter(([name]) => names.includes(name)));
        const left = own(a, ['a', 'd']);
        const right = own(b, ['b', 'c']);
        fc.pre(Object.keys(left).length > 0 && Object.keys(right).length > 0);
        expect(matchesPattern({ ...left, ...right }, event)).toBe(matchesPattern(left, event) && matchesPattern(right, event));
      }),
    );
  });

  it('a match list is the OR of its elements', () => {
    fc.assert(
      fc.property(matchList, smallEvent, (list, event) => {
        const whole = matchesPattern({ a: list }, event);
        const any = list.some((element) => matchesPattern({ a: [element] }, event));
        expect(whole).toBe(any);
      }),
    );
  });

  it('for any field, exactly one of exists:true and exists:false holds', () => {
    fc.assert(
      fc.property(smallEvent, fc.constantFrom(...FIELDS), (event, field) => {
        expect(matchesPattern({ [field]: [{ exists: true }] }, event)).toBe(!matchesPattern({ [field]: [{ exists: false }] }, event));
      }),
    );
  });

  it('a structurally equal copy of a pattern matches the same events (caching is by identity only)', () => {
    fc.assert(
      fc.property(smallPattern, smallEvent, (pattern, event) => {
        const first = matchesPattern(pattern, event);
        expect(matchesPattern(pattern, event)).toBe(first);
        expect(matchesPattern(structuredClone(pattern), event)).toBe(first);
      }),
    );
  });

  it('anything-but a string list never matches a member and always matches a non-member', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 5 }), (list, other) => {
        const pattern: EventPattern = { f: [{ 'anything-but': list }] };
        for (const member of list) expect(matchesPattern(pattern, { f: member })).toBe(false);
        expect(matchesPattern(pattern, { f: other })).toBe(!list.includes(other));
        expect(matchesPattern(pattern, { f: list.length })).toBe(true);
      }),
    );
  });

  it('anything-but a number list never matches a member and always matches a non-member', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: -50, max: 50 }), (list, other) => {
        const pattern: EventPattern = { f: [{ 'anything-but': list }] };
        for (const member of list) expect(matchesPattern(pattern, { f: member })).toBe(false);
        expect(matchesPattern(pattern, { f: other })).toBe(!list.includes(other));
        expect(matchesPattern(pattern, { f: String(other) })).toBe(true);
      }),
    );
  });

  it('a numeric range agrees with plain comparison', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
    fc.assert(
      fc.property(finite, finite, finite, (x, y, value) => {
        fc.pre(x !== y);
        const [low, high] = x < y ? [x, y] : [y, x];
        expect(matchesPattern({ n: [{ numeric: ['>=', low, '<', high] }] }, { n: value })).toBe(low <= value && value < high);
        expect(matchesPattern({ n: [{ numeric: ['>', low, '<=', high] }] }, { n: value })).toBe(low < value && value <= high);
      }),
    );
  });

  it('wildcard "a*b" matches exactly the strings that start with a and end with b without overlap', () => {
    const piece = fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', '/', '.') });
    fc.assert(
      fc.property(piece, piece, fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', '/', '.') }), (head, tail, value) => {
        const expected = value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
        expect(matchesPattern({ f: [{ wildcard: `${head}*${tail}` }] }, { f: value })).toBe(expected);
        expect(matchesPattern({ f: [{ wildcard: head }] }, { f: value })).toBe(value === head);
      }),
    );
  });

  it('equals-ignore-case on ASCII agrees with comparing lower-cased strings', () => {
    const ascii = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'B', 'c', 'D', '-', '1') });
    fc.assert(
      fc.property(ascii, ascii, (pattern, value) => {
        expect(matchesPattern({ f: [{ 'equals-ignore-case': pattern }] }, { f: value })).toBe(pattern.toLowerCase() === value.toLowerCase());
      }),
    );
  });

  it('an IPv4 cidr contains exactly the addresses sharing its first prefix bits', () => {
    const address = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const dotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
    fc.assert(
      fc.property(address, address, fc.integer({ min: 0, max: 31 }), (network, candidate, prefix) => {
        const block = 2 ** (32 - prefix);
        const expected = Math.floor(network / block) === Math.floor(candidate / block);
        expect(matchesPattern({ ip: [{ cidr: `${dotted(network)}/${prefix}` }] }, { ip: dotted(candidate) })).toBe(expected);
      }),
    );
  });
});
