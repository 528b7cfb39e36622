import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimalOf, decimalPlaces, formatDecimal, MAX_DECIMAL_PLACES, negate, numberValueProblem, parseDecimal, sumDecimals, toNumber } from '../../../shared/domain/records/decimal.js';

describe('exact decimals for number fields', () => {
  it.each([
    [1234.56, '1234.56', 2],
    [0.1, '0.1', 1],
    [-0.0000001, '-0.0000001', 7],
    [1e-10, '0.0000000001', 10],
    [9007199254740991, '9007199254740991', 0],
    [1e21, '1000000000000000000000', 0],
    [-0, '0', 0],
    [1.5e-7, '0.00000015', 8],
  ])('%s is the decimal %s with %s places', (n, text, places) => {
    expect(formatDecimal(decimalOf(n))).toBe(text);
    expect(decimalPlaces(n)).toBe(places);
  });

  it.each(['1E-10', '1.5E+3', '-12.50', '0.0000000001', '+7', '42.'])('reads DynamoDB number text %s', (text) => {
    const d = parseDecimal(text);
    expect(d).toBeDefined();
    expect(Number(formatDecimal(d as NonNullable<typeof d>))).toBe(Number(text));
  });

  it.each(['', 'abc', '1e', '0x10', 'NaN', 'Infinity', '1e99999', '--1'])('refuses %j as a decimal', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });

  it('sums without binary noise or overflow', () => {
    const sum = (...ns: number[]) => formatDecimal(sumDecimals(ns.map(decimalOf)));
    expect(sum(0.3, -0.1)).toBe('0.2');
    expect(sum(0.1, 0.2)).toBe('0.3');
    expect(sum(9007199254740991, 9007199254740991, 0.5)).toBe('18014398509481982.5');
    expect(sum(1e-10, 9007199254740991)).toBe('9007199254740991.0000000001');
    expect(sum()).toBe('0');
    expect(formatDecimal(negate(decimalOf(12.5)))).toBe('-12.5');
  });

  it('property: a sum of in-range values is exact (adding then removing each value gives zero back)', () => {
    const value = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: MAX_DECIMAL_PLACES })).map(([units, places]) => Number(`${units}e-${places}`));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (values) => {
        const ds = values.map(decimalOf);
        const total = sumDecimals(ds);
        expect(formatDecimal(sumDecimals([total, ...ds.map(negate)]))).toBe('0');
        expect(toNumber(total)).toBeCloseTo(values.reduce((a, b) => a + b, 0), 3);
      }),
    );
  });

  it.each([
    [1e16, 2, 'between'],
    [9007199254740992, 2, 'between'],
    [-9007199254740992, 2, 'between'],
    [5e-324, 10, 'decimal places'],
    [1e-11, 10, 'decimal places'],
    [1.005, 2, 'decimal places'],
    [0.30000000000000004, 10, 'decimal places'],
    [Number.NaN, 10, 'finite'],
    [Number.POSITIVE_INFINITY, 10, 'finite'],
  ])('refuses %s (at most %s places): %s', (n, places, words) => {
    expect(numberValueProblem(n, places)).toContain(words);
  });

  it.each([
    [9007199254740991, 0],
    [-9007199254740991, 0],
    [1e-10, 10],
    [1234.56, 2],
    [0, 0],
  ])('takes %s with %s places', (n, places) => {
    expect(numberValueProblem(n, places)).toBeUndefined();
  });
});
