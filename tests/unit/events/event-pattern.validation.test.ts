import { describe, expect, it } from 'vitest';
import {
  InvalidEventPatternError,
  MAX_OR_COMBINATIONS,
  matchesPattern,
  validatePattern,
  type EventPattern,
} from '../../../shared/events/event-pattern.js';

interface Invalid {
  scenario: string;
  pattern: unknown;
  /** The JSON path the error must name. */
  path: string;
  /** A fragment the error message must contain. */
  reason: string;
}

const rejects = (cases: Invalid[]): void => {
  it.each(cases)('$scenario', ({ pattern, path, reason }) => {
    let caught: unknown;
    try {
      validatePattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    const error = caught as InvalidEventPatternError;
    expect(error.path).toBe(path);
    expect(error.message).toContain(reason);
    expect(error.message).toContain(path);
  });
};

const accepts = (cases: { scenario: string; pattern: unknown }[]): void => {
  it.each(cases)('$scenario', ({ pattern }) => {
    expect(() => validatePattern(pattern)).not.toThrow();
  });
};

/** n `$or`s of two alternatives each, side by side: 2^n combinations. */
const parallelOrs = (n: number): Record<string, unknown> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { $or: [{ a: [1] }, { b: [2] }] }]));

describe('structure', () => {
  // AWS docs, "Creating event patterns": a pattern is an object whose leaves are arrays of values.
  rejects([
    { scenario: 'a pattern that is not an object', pattern: ['source'], path: '$', reason: 'must be a JSON object' },
    { scenario: 'a null pattern', pattern: null, path: '$', reason: 'must be a JSON object' },
    { scenario: 'an empty pattern', pattern: {}, path: '$', reason: 'empty objects are not allowed' },
    { scenario: 'an empty nested object', pattern: { detail: {} }, path: '$.detail', reason: 'empty objects are not allowed' },
    { scenario: 'a string leaf instead of an array', pattern: { source: 'aws.ec2' }, path: '$.source', reason: 'array of match values' },
    { scenario: 'a number leaf instead of an array', pattern: { detail: { int: 42 } }, path: '$.detail.int', reason: 'array of match values' },
    { scenario: 'a null leaf instead of an array', pattern: { detail: { v: null } }, path: '$.detail.v', reason: 'array of match values' },
    { scenario: 'an empty match list', pattern: { resources: [] }, path: '$.resources', reason: 'empty arrays are not allowed' },
    { scenario: 'a nested array inside a match list', pattern: { tags: [['a']] }, path: '$.tags[0]', reason: 'a match value must be' },
    { scenario: 'a non-finite number', pattern: { n: [Number.POSITIVE_INFINITY] }, path: '$.n[0]', reason: 'finite' },
    { scenario: 'an undefined match value', pattern: { n: [undefined] }, path: '$.n[0]', reason: 'a match value must be' },
    {
      scenario: 'a key needing quotes is named in bracket form',
      pattern: { 'detail-type': [[]] },
      path: '$["detail-type"][0]',
      reason: 'a match value must be',
    },
  ]);
});

describe('operators', () => {
  // AWS docs, "Comparison operators": each operator object has exactly one, known, case-sensitive key.
  rejects([
    { scenario: 'an unknown operator', pattern: { s: [{ regex: 'a.*' }] }, path: '$.s[0]', reason: 'unknown operator "regex"' },
    { scenario: 'an operator in the wrong case', pattern: { s: [{ EXISTS: true }] }, path: '$.s[0]', reason: 'unknown operator "EXISTS"' },
    { scenario: 'the undocumented "exactly" operator', pattern: { s: [{ exactly: 'x' }] }, path: '$.s[0]', reason: 'unknown operator "exactly"' },
    { scenario: 'an empty operator object', pattern: { s: [{}] }, path: '$.s[0]', reason: 'exactly one key' },
    { scenario: 'two operators in one object', pattern: { s: [{ prefix: 'a', suffix: 'b' }] }, path: '$.s[0]', reason: 'exactly one key' },
    { scenario: 'prefix with a number', pattern: { time: [{ prefix: 123 }] }, path: '$.time[0].prefix', reason: 'must be a string' },
    { scenario: 'prefix with a list', pattern: { time: [{ prefix: ['2022'] }] }, path: '$.time[0].prefix', reason: 'must be a string' },
    {
      scenario: 'prefix with an unsupported nested operator',
      pattern: { s: [{ prefix: { wildcard: 'a*' } }] },
      path: '$.s[0].prefix',
      reason: 'equals-ignore-case',
    },
    {
      scenario: 'prefix equals-ignore-case with a number',
      pattern: { s: [{ prefix: { 'equals-ignore-case': 1 } }] },
      path: '$.s[0].prefix["equals-ignore-case"]',
      reason: 'must be a string',
    },
    { scenario: 'suffix with a number', pattern: { f: [{ suffix: 123 }] }, path: '$.f[0].suffix', reason: 'must be a string' },
    { scenario: 'suffix with a list', pattern: { f: [{ suffix: ['.png'] }] }, path: '$.f[0].suffix', reason: 'must be a string' },
    {
      scenario: 'equals-ignore-case with a list',
      pattern: { s: [{ 'equals-ignore-case': ['a'] }] },
      path: '$.s[0]["equals-ignore-case"]',
      reason: 'must be a string',
    },
    {
      scenario: 'equals-ignore-case with a nested operator',
      pattern: { s: [{ 'equals-ignore-case': { prefix: 'a' } }] },
      path: '$.s[0]["equals-ignore-case"]',
      reason: 'must be a string',
    },
    { scenario: 'exists with a string', pattern: { s: [{ exists: 'true' }] }, path: '$.s[0].exists', reason: 'true or false' },
    { scenario: 'exists with a number', pattern: { s: [{ exists: 1 }] }, path: '$.s[0].exists', reason: 'true or false' },
  ]);

  // AWS docs, "Content filtering" › Wildcard matching; ruler README: no "**", only \* and \\ escapes.
  rejects([
    { scenario: 'wildcard with a number', pattern: { a: [{ wildcard: 123 }] }, path: '$.a[0].wildcard', reason: 'must be a string' },
    { scenario: 'wildcard with a list', pattern: { a: [{ wildcard: ['*'] }] }, path: '$.a[0].wildcard', reason: 'must be a string' },
    {
      scenario: 'wildcard with consecutive asterisks',
      pattern: { a: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
      path: '$.a[0].wildcard',
      reason: 'consecutive wildcard characters at index 25',
    },
    {
      scenario: 'wildcard escaping an ordinary character',
      pattern: { a: [{ wildcard: 'a\\b' }] },
      path: '$.a[0].wildcard',
      reason: 'invalid escape at index 1',
    },
    { scenario: 'wildcard ending in a lone backslash', pattern: { a: [{ wildcard: 'a\\' }] }, path: '$.a[0].wildcard', reason: 'invalid escape' },
  ]);

  // AWS docs, "Content filtering" › Numeric matching: [op, n] or [">"|">=", lo, "<"|"<=", hi].
  rejects([
    { scenario: 'numeric with a bare number', pattern: { c: [{ numeric: 10 }] }, path: '$.c[0].numeric', reason: 'must be an array' },
    { scenario: 'numeric with an empty list', pattern: { c: [{ numeric: [] }] }, path: '$.c[0].numeric[0]', reason: 'expected a numeric operator' },
    {
      scenario: 'numeric with an unknown comparison',
      pattern: { c: [{ numeric: ['!=', 1] }] },
      path: '$.c[0].numeric[0]',
      reason: 'expected a numeric operator',
    },
    {
      scenario: 'numeric with an operator missing its operand',
      pattern: { c: [{ numeric: ['>'] }] },
      path: '$.c[0].numeric[1]',
      reason: 'must be a finite number',
    },
    { scenario: 'numeric with odd arity', pattern: { c: [{ numeric: ['>', 0, '<'] }] }, path: '$.c[0].numeric', reason: 'exactly 4 elements' },
    { scenario: 'numeric with too many terms', pattern: { c: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, path: '$.c[0].numeric', reason: 'exactly 4 elements' },
    { scenario: 'numeric with a string operand', pattern: { c: [{ numeric: ['>', '5'] }] }, path: '$.c[0].numeric[1]', reason: 'must be a finite number' },
    { scenario: 'numeric with two lower bounds', pattern: { c: [{ numeric: ['>', 0, '>', 0] }] }, path: '$.c[0].numeric[2]', reason: 'upper bound operator' },
    {
      scenario: 'numeric with the upper bound first',
      pattern: { c: [{ numeric: ['<', 10, '>', 0] }] },
      path: '$.c[0].numeric',
      reason: '"<" must be the only comparison',
    },
    {
      scenario: 'numeric = followed by a range',
      pattern: { c: [{ numeric: ['=', 1, '<', 2] }] },
      path: '$.c[0].numeric',
      reason: '"=" must be the only comparison',
    },
    {
      scenario: 'numeric with an inverted range',
      pattern: { c: [{ numeric: ['>', 5, '<', 1] }] },
      path: '$.c[0].numeric',
      reason: 'must be below the upper bound',
    },
    {
      scenario: 'numeric with an empty range',
      pattern: { c: [{ numeric: ['>=', 5, '<=', 5] }] },
      path: '$.c[0].numeric',
      reason: 'must be below the upper bound',
    },
    {
      scenario: 'numeric with a string upper bound',
      pattern: { c: [{ numeric: ['>', 0, '<', 'x'] }] },
      path: '$.c[0].numeric[3]',
      reason: 'must be a finite number',
    },
  ]);

  // AWS docs, "Content filtering" › Anything-but matching: strings or numbers, not mixed, no null/boolean.
  rejects([
    { scenario: 'anything-but null', pattern: { s: [{ 'anything-but': null }] }, path: '$.s[0]["anything-but"]', reason: 'must be a string, a number' },
    { scenario: 'anything-but boolean', pattern: { s: [{ 'anything-but': true }] }, path: '$.s[0]["anything-but"]', reason: 'must be a string, a number' },
    {
      scenario: 'anything-but list with null',
      pattern: { s: [{ 'anything-but': ['stopped', null] }] },
      path: '$.s[0]["anything-but"][1]',
      reason: 'only strings or only numbers',
    },
    {
      scenario: 'anything-but list mixing strings and numbers',
      pattern: { s: [{ 'anything-but': ['a', 1] }] },
      path: '$.s[0]["anything-but"][1]',
      reason: 'only strings or only numbers',
    },
    { scenario: 'anything-but empty list', pattern: { s: [{ 'anything-but': [] }] }, path: '$.s[0]["anything-but"]', reason: 'must not be an empty list' },
    {
      scenario: 'anything-but with numeric',
      pattern: { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      path: '$.s[0]["anything-but"]',
      reason: 'accepts one of prefix, suffix, equals-ignore-case, wildcard',
    },
    {
      scenario: 'anything-but with two nested operators',
      pattern: { s: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
      path: '$.s[0]["anything-but"]',
      reason: 'accepts one of',
    },
    {
      scenario: 'anything-but prefix with a number',
      pattern: { s: [{ 'anything-but': { prefix: 123 } }] },
      path: '$.s[0]["anything-but"].prefix',
      reason: 'must be a string or a list of strings',
    },
    {
      scenario: 'anything-but prefix with an empty string',
      pattern: { s: [{ 'anything-but': { prefix: '' } }] },
      path: '$.s[0]["anything-but"].prefix',
      reason: 'must not be an empty string',
    },
    {
      scenario: 'anything-but prefix list with a number',
      pattern: { s: [{ 'anything-but': { prefix: [123, 'test'] } }] },
      path: '$.s[0]["anything-but"].prefix[0]',
      reason: 'must be a string',
    },
    {
      scenario: 'anything-but prefix with equals-ignore-case',
      pattern: { s: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'file' } } }] },
      path: '$.s[0]["anything-but"].prefix',
      reason: 'must be a string or a list of strings',
    },
    {
      scenario: 'anything-but suffix with an empty string',
      pattern: { s: [{ 'anything-but': { suffix: '' } }] },
      path: '$.s[0]["anything-but"].suffix',
      reason: 'must not be an empty string',
    },
    {
      scenario: 'anything-but suffix list with null',
      pattern: { s: [{ 'anything-but': { suffix: [null, '.txt'] } }] },
      path: '$.s[0]["anything-but"].suffix[0]',
      reason: 'must be a string',
    },
    {
      scenario: 'anything-but equals-ignore-case with a number',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': 123 } }] },
      path: '$.s[0]["anything-but"]["equals-ignore-case"]',
      reason: 'must be a string',
    },
    {
      scenario: 'anything-but equals-ignore-case list with numbers',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': [123, 456] } }] },
      path: '$.s[0]["anything-but"]["equals-ignore-case"][0]',
      reason: 'must be a string',
    },
    {
      scenario: 'anything-but wildcard with a number',
      pattern: { s: [{ 'anything-but': { wildcard: 123 } }] },
      path: '$.s[0]["anything-but"].wildcard',
      reason: 'must be a string',
    },
    {
      scenario: 'anything-but wildcard list with a bad wildcard',
      pattern: { s: [{ 'anything-but': { wildcard: ['*/ok/*', 'a**'] } }] },
      path: '$.s[0]["anything-but"].wildcard[1]',
      reason: 'consecutive wildcard characters',
    },
    {
      scenario: 'anything-but with an empty prefix list',
      pattern: { s: [{ 'anything-but': { prefix: [] } }] },
      path: '$.s[0]["anything-but"].prefix',
      reason: 'must not be an empty list',
    },
  ]);

  // AWS docs, "Content filtering" › IP address matching: a valid IPv4 or IPv6 CIDR.
  rejects([
    { scenario: 'cidr with a list', pattern: { ip: [{ cidr: ['bad-type'] }] }, path: '$.ip[0].cidr', reason: 'must be a string' },
    { scenario: 'cidr without a slash', pattern: { ip: [{ cidr: 'bad-filter' }] }, path: '$.ip[0].cidr', reason: 'exactly one "/"' },
    { scenario: 'cidr with two slashes', pattern: { ip: [{ cidr: '10.0.0.0/8/8' }] }, path: '$.ip[0].cidr', reason: 'exactly one "/"' },
    { scenario: 'cidr with a bad address', pattern: { ip: [{ cidr: 'xx.11.xx/8' }] }, path: '$.ip[0].cidr', reason: 'is not an IPv4 or IPv6 address' },
    {
      scenario: 'cidr with a bad IPv6 address',
      pattern: { ip: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] },
      path: '$.ip[0].cidr',
      reason: 'is not an IPv4 or IPv6 address',
    },
    {
      scenario: 'cidr with an out-of-range octet',
      pattern: { ip: [{ cidr: '700.168.0.1/8' }] },
      path: '$.ip[0].cidr',
      reason: 'is not an IPv4 or IPv6 address',
    },
    {
      scenario: 'cidr with a non-numeric mask',
      pattern: { ip: [{ cidr: 'bad-/64filter' }] },
      path: '$.ip[0].cidr',
      reason: 'prefix length must be a non-negative integer',
    },
    {
      scenario: 'cidr with a negative mask',
      pattern: { ip: [{ cidr: '192.168.0.1/-3' }] },
      path: '$.ip[0].cidr',
      reason: 'prefix length must be a non-negative integer',
    },
    { scenario: 'cidr with an IPv4 mask above 32', pattern: { ip: [{ cidr: '192.168.0.1/33' }] }, path: '$.ip[0].cidr', reason: 'must be below 32' },
    { scenario: 'cidr /32, which AWS rejects', pattern: { ip: [{ cidr: '192.168.0.1/32' }] }, path: '$.ip[0].cidr', reason: 'must be below 32' },
    {
      scenario: 'cidr with an IPv6 mask above 128',
      pattern: { ip: [{ cidr: '2400:6500:FF00::36FB:1F80/222' }] },
      path: '$.ip[0].cidr',
      reason: 'must be below 128',
    },
  ]);
});

describe('$or', () => {
  // AWS docs, "Content filtering" › Complex example with $or matching; ruler README "$or" conditions.
  rejects([
    { scenario: '$or that is an object', pattern: { $or: { a: [1] } }, path: '$.$or', reason: 'at least two pattern objects' },
    { scenario: '$or with one alternative', pattern: { $or: [{ a: [1] }] }, path: '$.$or', reason: 'got 1 alternative(s)' },
    { scenario: '$or with no alternatives', pattern: { detail: { $or: [] } }, path: '$.detail.$or', reason: 'got 0 alternative(s)' },
    { scenario: '$or with a non-object alternative', pattern: { $or: [{ a: [1] }, ['b']] }, path: '$.$or[1]', reason: 'must be a pattern object' },
    { scenario: '$or with an empty alternative', pattern: { $or: [{ a: [1] }, {}] }, path: '$.$or[1]', reason: 'empty objects are not allowed' },
    {
      scenario: '$or alternative using an operator name as a field',
      pattern: { $or: [{ numeric: [123] }, { prefix: ['abc'] }] },
      path: '$.$or[0].numeric',
      reason: 'reserved operator name',
    },
    {
      scenario: '$or alternative using a reserved name deeper down',
      pattern: { $or: [{ a: { '>=': [1] } }, { b: [2] }] },
      path: '$.$or[0].a[">="]',
      reason: 'reserved operator name',
    },
    { scenario: 'an invalid leaf inside an $or alternative', pattern: { $or: [{ a: [1] }, { b: 'x' }] }, path: '$.$or[1].b', reason: 'array of match values' },
    {
      scenario: `$ors multiplying out beyond ${MAX_OR_COMBINATIONS} combinations`,
      pattern: parallelOrs(10),
      path: '$.f9.$or',
      reason: `more than ${MAX_OR_COMBINATIONS} combinations`,
    },
  ]);
});

describe('accepted edge cases', () => {
  // Shapes AWS accepts that a stricter validator might wrongly refuse.
  accepts([
    { scenario: 'an operator name as an ordinary field outside $or', pattern: { prefix: ['x'], detail: { numeric: [1] } } },
    { scenario: 'exists false alone', pattern: { detail: { gone: [{ exists: false }] } } },
    { scenario: 'several operators OR-ed in one list', pattern: { s: [{ exists: true }, { prefix: 'a' }, { suffix: 'b' }, 'c', 1, null, true] } },
    { scenario: 'an empty prefix and an empty suffix', pattern: { s: [{ prefix: '' }, { suffix: '' }] } },
    { scenario: 'an empty wildcard and an empty equals-ignore-case', pattern: { s: [{ wildcard: '' }, { 'equals-ignore-case': '' }] } },
    { scenario: 'anything-but with an empty wildcard', pattern: { s: [{ 'anything-but': { wildcard: '' } }] } },
    { scenario: 'wildcard escapes of asterisk and backslash', pattern: { s: [{ wildcard: 'a\\*b\\\\c*' }] } },
    { scenario: 'a /31 IPv4 and a /127 IPv6 range', pattern: { ip: [{ cidr: '10.0.0.0/31' }, { cidr: '::/127' }] } },
    { scenario: 'numeric with a negative and an exponent bound', pattern: { n: [{ numeric: ['>=', -1e9, '<', 3.018e2] }] } },
    { scenario: `$ors multiplying out to exactly ${2 ** 9} combinations`, pattern: parallelOrs(9) },
    { scenario: 'a "$or" field inside a nested object', pattern: { detail: { $or: [{ a: [1] }, { b: [{ exists: false }] }] } } },
  ]);

  it('the validated pattern from a table can be matched straight away', () => {
    const pattern: unknown = { source: ['keiro'], detail: { data: { status: [{ 'anything-but': 'draft' }] } } };
    validatePattern(pattern);
    expect(matchesPattern(pattern, { source: 'keiro', detail: { data: { status: 'published' } } })).toBe(true);
  });

  it('the error is an Error whose name identifies it', () => {
    expect(() => validatePattern({ source: 1 })).toThrowError(
      expect.objectContaining({ name: 'InvalidEventPatternError', path: '$.source' }) as Error,
    );
  });

  it('a pattern typed as EventPattern still gets validated at run time', () => {
    const pattern = { n: [{ numeric: ['<', 10, '>', 0] }] } as unknown as EventPattern;
    expect(() => matchesPattern(pattern, { n: 5 })).toThrow(/only comparison/);
  });
});
