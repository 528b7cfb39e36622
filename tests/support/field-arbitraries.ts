import fc from 'fast-check';
import { expect } from 'vitest';
import type { ApiResponse } from './e2e.js';

/**
 * Field values drawn by each field's type, as a careless user or an attacker would send them: valid
 * values, values at and past the limits (numbers past 2^53 and DynamoDB's range, impossible dates,
 * malformed datetimes, phones and emails, overlong strings, picklist values outside the options,
 * lookups to missing records) and values of the wrong type. Built from the module metadata that
 * `GET /v1/modules/{module}` returns, so that a new field or type is fuzzed without touching the tests.
 */

/** The metadata of one field, as `GET /v1/modules/{module}` returns it. */
export interface FieldMeta {
  name: string;
  type: string;
  required?: boolean;
  readOnly?: boolean;
  options?: string[];
  maxLength?: number;
  lookupModule?: string;
}

/** A JSON number written as raw text: `9007199254740993` must reach the server as written, not as a rounded double. */
export class RawNumber {
  constructor(readonly text: string) {}
}

const RAW = '\u0000raw:';

/** JSON text of a body that may hold RawNumber values. */
export const toJsonText = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v instanceof RawNumber ? `${RAW}${v.text}` : v)).replace(/"\\u0000raw:([^"]*)"/g, '$1');

/** Number texts at and past what a field can hold: 2^53, DynamoDB's range (1E-130..9.99E+125, 38 digits), float noise. */
export const NUMBER_LIMIT_TEXTS = [
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '1e16',
  '1e20',
  '123456789012345678901234567890123456789',
  '9.99e125',
  '1e126',
  '1e308',
  '-1e308',
  '1e-10',
  '1e-11',
  '1e-130',
  '1e-131',
  '5e-324',
  '-0',
  '0.30000000000000004',
  '0.1234567890123456789',
  '100.005',
] as const;

const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), fc.constant([]), fc.constant({}), fc.jsonValue({ maxDepth: 1 }));
const overlong = (n: number) => fc.constantFrom('x'.repeat(n + 1), 'あ'.repeat(n + 1), ' '.repeat(n + 1));
const someDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true });
const plainText = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .,'-]{0,30}$/);

/** Known users of the demo directory (a `user` field must name one). */
const USERS = ['u-agent', 'u-manager', 'u-admin', 'u-ops'];

/** A value the field should take (a lookup only when an existing id of its module is known). */
export const validValueFor = (field: FieldMeta, existingIds: Readonly<Record<string, readonly string[]>> = {}): fc.Arbitrary<unknown> | undefined => {
  const options = field.options ?? [];
  switch (field.type) {
    case 'text':
    case 'textarea':
      return plainText;
    case 'email':
      return fc.stringMatching(/^[a-z]{1,10}(\.[a-z]{1,5})?@[a-z]{2,8}\.(jp|com)$/);
    case 'phone':
      return fc.constantFrom('090-1234-5678', '+81 90 1234 5678', '+44 20 7946 0958', '03-1234-5678');
    case 'number':
      return fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: -99_999_999, max: 99_999_999 }).map((c) => c / 1000));
    case 'currency':
      return fc.integer({ min: -99_999_999, max: 99_999_999 }).map((c) => c / 100);
    case 'percent':
      return fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100);
    case 'date':
      return someDate.map((d) => d.toISOString().slice(0, 10));
    case 'datetime':
      return someDate.map((d) => d.toISOString());
    case 'picklist':
      return options.length > 0 ? fc.constantFrom(...options) : undefined;
    case 'multiselect':
      return fc.subarray(options);
    case 'boolean':
      return fc.boolean();
    case 'lookup': {
      const ids = existingIds[field.lookupModule ?? ''] ?? [];
      return ids.length > 0 ? fc.constantFrom(...ids) : undefined;
    }
    case 'user':
      return fc.constantFrom(...USERS);
    case 'timezone':
      return fc.constantFrom('Asia/Tokyo', 'UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney');
    default:
      return undefined;
  }
};

/** Values at and past what the field takes, by its type, or of the wrong type. */
export const hostileValueFor = (field: FieldMeta): fc.Arbitrary<unknown> => {
  const options = field.options ?? [];
  const byType = ((): fc.Arbitrary<unknown> => {
    switch (field.type) {
      case 'text':
      case 'textarea': {
        const max = field.maxLength ?? (field.type === 'text' ? 255 : 32_000);
        return fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), overlong(max), fc.constantFrom('', '   ', '\u0000', '\ud800'));
      }
      case 'email':
        return fc.oneof(fc.emailAddress(), fc.constantFrom('a@', '@b.jp', 'a@b', 'a b@c.jp', 'a@@b.jp', `${'x'.repeat(250)}@b.jp`, 'ÅÄ@example.com', 'a@b.jp\n', '"quoted"@b.jp'));
      case 'phone':
        return fc.oneof(
          fc.constantFrom('123', 'call me', '+', '+999 1234', '0'.repeat(41), '０９０-１２３４-５６７８', '090-1234-5678 ext. 99999999999999999999', '+81 90 1234 5678\u0000'),
          fc.stringMatching(/^\+?[0-9 ()-]{0,45}$/),
        );
      case 'number':
      case 'currency':
      case 'percent':
        return fc.oneof(fc.constantFrom(...NUMBER_LIMIT_TEXTS).map((t) => new RawNumber(t)), fc.double(), fc.constantFrom('12', '1e16', 'NaN', 'Infinity', ''));
      case 'date':
        return fc.constantFrom('2023-02-30', '2024-13-01', '2023-02-29', '2024-02-29', '2024-00-10', '2024-04-31', '0000-01-01', '2024-2-3', '20240203', '2024-02-03T00:00:00Z', '9999-12-31', '+275760-09-13');
      case 'datetime':
        return fc.constantFrom(
          '2024-01-01T25:00:00Z',
          '2024-01-01T10:00:00',
          '2024-01-01T10:00:00+24:00',
          '2024-02-30T10:00:00Z',
          '2024-01-01T10:60:00Z',
          '2024-01-01 10:00:00Z',
          '2024-01-01T10:00:00.123456789Z',
          '+275760-09-13T00:00:00.000Z',
          '-000001-01-01T00:00:00Z',
          'yesterday',
        );
      case 'picklist':
        return fc.oneof(fc.constantFrom(...options.map((o) => o.toUpperCase()), ...options.map((o) => ` ${o}`), 'Nope'), fc.string({ maxLength: 10 }));
      case 'multiselect':
        return fc.array(fc.oneof(fc.constantFrom(...options), fc.string({ maxLength: 5 })), { maxLength: 6 });
      case 'boolean':
        return fc.constantFrom('true', 0, 1, 'yes');
      case 'lookup':
        return fc.oneof(fc.constantFrom('01ZZZZZZZZZZZZZZZZZZZZZZZZ', '00000000000000000000000000', 'x'.repeat(65), 'REC#Leads#1', '../../etc'), fc.string({ maxLength: 30 }));
      case 'user':
        return fc.oneof(fc.constantFrom('u-nobody', '', 'x'.repeat(65), 'u-requester'), fc.string({ maxLength: 10 }));
      case 'timezone':
        return fc.oneof(fc.constantFrom('Mars/Olympus', 'asia/tokyo', '+09:00', 'Tokyo', 'Asia/Tokyo/', `Asia/${'x'.repeat(70)}`, 'Etc/GMT+99'), fc.string({ maxLength: 12 }));
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  })();
  return fc.oneof({ arbitrary: byType, weight: 3 }, { arbitrary: wrongType, weight: 1 });
};

/** A field and a hostile value for it; the type is drawn first, so that each type present gets its share however many fields of other types the module has. */
export const hostileFieldValue = (fields: readonly FieldMeta[]): fc.Arbitrary<readonly [string, unknown]> =>
  fc
    .constantFrom(...new Set(fields.map((f) => f.type)))
    .chain((type) => fc.constantFrom(...fields.filter((f) => f.type === type)))
    .chain((f) => hostileValueFor(f).map((v) => [f.name, v] as const));

/**
 * A `fields` object for a create or a patch: valid values for a random subset of the fields (every
 * required one on a create), with up to two of them replaced by hostile values of their type (none a
 * third of the time, so that writes also succeed and later writes meet what earlier ones stored), and
 * now and then an unknown or read-only field.
 */
export const fieldsFor = (fields: readonly FieldMeta[], mode: 'create' | 'patch', existingIds: Readonly<Record<string, readonly string[]>> = {}): fc.Arbitrary<Record<string, unknown>> => {
  const writable = fields.filter((f) => !f.readOnly);
  const valid = writable.flatMap((f) => {
    const arb = validValueFor(f, existingIds);
    return arb ? [[f.name, arb] as const] : [];
  });
  const required = mode === 'create' ? writable.filter((f) => f.required).map((f) => f.name) : [];
  const hostile = fc.array(hostileFieldValue(fields), { maxLength: 2 });
  return fc
    .tuple(
      fc.record(Object.fromEntries(valid), { requiredKeys: required.filter((name) => valid.some(([n]) => n === name)) }),
      fc.oneof({ arbitrary: fc.constant([] as Array<readonly [string, unknown]>), weight: 1 }, { arbitrary: hostile, weight: 2 }),
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.constantFrom('unknownField', 'PK', '__proto__', 'constructor'), weight: 1 }),
    )
    .map(([drawn, bad, extra]) => ({ ...drawn, ...Object.fromEntries(bad), ...(extra ? { [extra]: 'x' } : {}) }));
};

/** A number the server took must read back as sent: the raw text's value, or the double itself. */
export const sentNumber = (value: unknown): number | undefined => (value instanceof RawNumber ? Number(value.text) : typeof value === 'number' ? value : undefined);

/**
 * The answer to a write of `sent` field values: `ok` with every number that was taken reading back as
 * sent, or a 4xx problem+json (a 400 lists field errors); never a 5xx.
 */
export const expectWriteAnswered = (res: ApiResponse<any>, ok: number, sent: Record<string, unknown>, refusals: readonly number[] = [400, 403, 404, 409, 412, 422]) => {
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
  if (res.status === ok) {
    for (const [name, value] of Object.entries(sent)) {
      const n = sentNumber(value);
      if (n !== undefined && typeof res.body.fields[name] === 'number') expect(res.body.fields[name] === n, `${name}: ${String(n)}`).toBe(true);
    }
    return;
  }
  expect(refusals).toContain(res.status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  if (res.status === 400) expect(res.body.errors.length).toBeGreaterThan(0);
};
