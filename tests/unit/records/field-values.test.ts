import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPatch, diffFields, validateFieldValues } from '../../../shared/domain/records/field-values.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { isValidTimeZone } from '../../../shared/domain/cadence/zoned-time.js';

const leads = standardModule('Leads') as ModuleMetadata;
const deals = standardModule('Deals') as ModuleMetadata;
const validate = (module: ModuleMetadata, input: Record<string, unknown>, mode: 'create' | 'patch' = 'create') =>
  validateFieldValues(module, input, mode, 'JP');

describe('field validation from module metadata', () => {
  it.each([
    ['a valid email', { lastName: 'A', email: 'a@b.jp' }, []],
    ['an invalid email', { lastName: 'A', email: 'a@' }, ['fields.email']],
    ['a Japanese mobile without country code', { lastName: 'A', phone: '090-1234-5678' }, []],
    ['an international number', { lastName: 'A', phone: '+44 20 7946 0958' }, []],
    ['a phone that is not a number', { lastName: 'A', phone: 'call me' }, ['fields.phone']],
    ['a picklist value not in the options', { lastName: 'A', leadStatus: 'Hot' }, ['fields.leadStatus']],
    ['a missing required field', { firstName: 'A' }, ['fields.lastName']],
    ['a blank required field', { lastName: '   ' }, ['fields.lastName']],
    ['an unknown field', { lastName: 'A', shoeSize: 42 }, ['fields.shoeSize']],
    ['a read-only field', { lastName: 'A', converted: true }, ['fields.converted']],
    ['a text over 255 characters', { lastName: 'x'.repeat(256) }, ['fields.lastName']],
    ['a number where text is expected', { lastName: 42 }, ['fields.lastName']],
  ])('%s', (_label, input, paths) => {
    expect(validate(leads, input).errors.map((e) => e.path).sort()).toEqual([...paths].sort());
  });

  it.each([
    ['currency with 2 decimals', { name: 'D', amount: 1234.56 }, []],
    ['currency with 3 decimals', { name: 'D', amount: 1.234 }, ['fields.amount']],
    ['a percent above 100', { name: 'D', discountPercent: 120 }, ['fields.discountPercent']],
    ['a real date', { name: 'D', closingDate: '2027-02-28' }, []],
    ['an impossible date', { name: 'D', closingDate: '2027-02-30' }, ['fields.closingDate']],
    ['a number given as a string', { name: 'D', amount: '100' }, ['fields.amount']],
    ['a currency above 2^53 (1e16)', { name: 'D', amount: 1e16 }, ['fields.amount']],
    ['a currency JSON.parse already rounded (9007199254740993)', { name: 'D', amount: JSON.parse('9007199254740993') }, ['fields.amount']],
    ['a currency at 2^53 - 1', { name: 'D', amount: 9007199254740991 }, []],
    ['a currency of -(2^53 - 1)', { name: 'D', amount: -9007199254740991 }, []],
    ['the smallest double (5e-324)', { name: 'D', amount: 5e-324 }, ['fields.amount']],
    ['a percent below DynamoDB range (1e-131)', { name: 'D', discountPercent: 1e-131 }, ['fields.discountPercent']],
    ['a percent with 10 decimal places', { name: 'D', discountPercent: 12.0000000001 }, []],
    ['a percent with 11 decimal places', { name: 'D', discountPercent: 1e-11 }, ['fields.discountPercent']],
    ['a percent with float noise (0.1 + 0.2)', { name: 'D', discountPercent: 0.1 + 0.2 }, ['fields.discountPercent']],
    ['a tiny percent that would poison the sums (1e-100)', { name: 'D', discountPercent: 1e-100 }, ['fields.discountPercent']],
  ])('%s', (_label, input, paths) => {
    expect(validate(deals, input).errors.map((e) => e.path)).toEqual(paths);
  });

  it('trims text and keeps values typed', () => {
    expect(validate(leads, { lastName: '  Sato  ', email: ' s@x.jp ' }).values).toEqual({ lastName: 'Sato', email: 's@x.jp' });
  });

  it('treats null and "" in a patch as clearing an optional field, and refuses clearing a required one', () => {
    const result = validate(leads, { company: '', firstName: null, lastName: null }, 'patch');
    expect(result.values).toEqual({ company: null, firstName: null });
    expect(result.errors).toEqual([{ path: 'fields.lastName', message: 'This field is required' }]);
  });

  it('does not require absent fields in a patch', () => {
    expect(validate(leads, { company: 'X' }, 'patch').errors).toEqual([]);
  });

  it('normalises datetimes to UTC', () => {
    const calls = standardModule('Calls') as ModuleMetadata;
    expect(validate(calls, { subject: 'S', scheduledAt: '2027-01-01T09:00:00+09:00' }).values.scheduledAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('multiselect values must be options and unique', () => {
    const module: ModuleMetadata = { name: 'Trips', label: 'Trips', kind: 'custom', version: 1, fields: [{ name: 'tags', label: 'Tags', type: 'multiselect', required: false, options: ['Beach', 'City'] }] };
    expect(validate(module, { tags: ['Beach', 'City'] }).errors).toEqual([]);
    expect(validate(module, { tags: ['Beach', 'Beach'] }).errors.map((e) => e.path)).toEqual(['fields.tags']);
    expect(validate(module, { tags: ['Moon'] }).errors.map((e) => e.path)).toEqual(['fields.tags']);
  });
});

describe('field value schemas are built once per definition', () => {
  const custom = (fields: ModuleMetadata['fields']): ModuleMetadata => ({ ...leads, name: 'Trips', fields });

  it('a changed definition of the same field validates by its new rules, and back again', () => {
    const short = custom([{ name: 'code', label: 'Code', type: 'text', required: false, maxLength: 5 }]);
    const long = custom([{ name: 'code', label: 'Code', type: 'text', required: false, maxLength: 10 }]);
    expect(validate(short, { code: 'abcdefg' }).errors.map((e) => e.path)).toEqual(['fields.code']);
    expect(validate(long, { code: 'abcdefg' })).toEqual({ values: { code: 'abcdefg' }, errors: [] });
    expect(validate(short, { code: 'abcdefg' }).errors.map((e) => e.path)).toEqual(['fields.code']);
    const options = (values: string[]) => custom([{ name: 'stage', label: 'Stage', type: 'picklist', required: false, options: values }]);
    expect(validate(options(['A', 'B']), { stage: 'C' }).errors.map((e) => e.path)).toEqual(['fields.stage']);
    expect(validate(options(['A', 'B', 'C']), { stage: 'C' }).errors).toEqual([]);
  });

  it('a phone is read in the region asked for, whichever region built the schema first', () => {
    const phone = custom([{ name: 'mobile', label: 'Mobile', type: 'phone', required: false }]);
    expect(validateFieldValues(phone, { mobile: '090-1234-5678' }, 'patch', 'JP').errors).toEqual([]);
    expect(validateFieldValues(phone, { mobile: '090-1234-5678' }, 'patch', 'US').errors.map((e) => e.path)).toEqual(['fields.mobile']);
    expect(validateFieldValues(phone, { mobile: '090-1234-5678' }, 'patch', 'JP').errors).toEqual([]);
  });
});

describe('time zone fields (IANA names, the same on Node 20 and 22)', () => {
  it.each([
    ['Asia/Tokyo', true],
    ['UTC', true],
    ['Etc/UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Asia/Kolkata', true],
    ['Asia/Calcutta', true],
    ['Europe/Kyiv', true],
    ['Mars/Olympus', false],
    ['asia/tokyo', false],
    ['ASIA/TOKYO', false],
    ['+09:00', false],
    ['Tokyo', false],
    ['Asia/Tokyo/', false],
    ['../Asia/Tokyo', false],
    ['x'.repeat(65), false],
  ])('%s is %s', (timeZone, valid) => {
    expect(isValidTimeZone(timeZone)).toBe(valid);
    expect(validate(leads, { lastName: 'A', timeZone }).errors.map((e) => e.path)).toEqual(valid ? [] : ['fields.timeZone']);
  });

  it('every zone the runtime lists is accepted, and Leads and Contacts validate their time zone as one', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(isValidTimeZone(zone), zone).toBe(true);
    const contacts = standardModule('Contacts') as ModuleMetadata;
    expect(validate(contacts, { lastName: 'A', timeZone: 'Mars/Olympus' }).errors).toEqual([{ path: 'fields.timeZone', message: 'Not an IANA time zone (e.g. Asia/Tokyo)' }]);
    expect(validate(leads, { lastName: 'A', timeZone: ' Asia/Tokyo ' }).values.timeZone).toBe('Asia/Tokyo');
  });
});

describe('diff and patch', () => {
  it('records old → new only for fields that change', () => {
    expect(diffFields({ a: 'x', b: 1 }, { a: 'x', b: 2, c: null })).toEqual([{ field: 'b', old: 1, new: 2 }]);
  });

  it('property: applying a patch then diffing against it leaves nothing to change', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), value), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.option(value, { nil: null })), (before, patch) => {
        const after = applyPatch(before, patch);
        expect(diffFields(after, patch)).toEqual([]);
        for (const [k, v] of Object.entries(patch)) expect(after[k]).toEqual(v === null ? undefined : v);
      }),
    );
  });
});

describe('number fields take only what is stored and read back exactly', () => {
  const numbers: ModuleMetadata = {
    ...deals,
    fields: [
      { name: 'count', label: 'Count', type: 'number', required: false },
      { name: 'amount', label: 'Amount', type: 'currency', required: false },
      { name: 'share', label: 'Share', type: 'percent', required: false },
    ],
  };
  const anyDouble = fc.oneof(fc.double(), fc.double({ min: -1e20, max: 1e20 }), fc.constantFrom(1e16, 9007199254740992, 5e-324, 1e-130, 1e-131, 9.99e125, 1e126, -0, 0.1 + 0.2));

  it('property: an accepted value keeps its exact JSON text, within 2^53 - 1, with bounded decimals; a refused one names its field', () => {
    fc.assert(
      fc.property(fc.constantFrom('count', 'amount', 'share'), anyDouble, (name, n) => {
        const { values, errors } = validateFieldValues(numbers, { [name]: n }, 'patch', 'JP');
        if (errors.length > 0) {
          expect(errors).toEqual([{ path: `fields.${name}`, message: expect.any(String) }]);
          return;
        }
        const stored = values[name] as number;
        expect(Object.is(stored, n) || (stored === 0 && n === 0)).toBe(true);
        expect(Math.abs(stored)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
        expect(JSON.parse(JSON.stringify(stored)) === stored).toBe(true);
        const text = String(stored);
        expect(text).not.toContain('e-1');
      }),
      { numRuns: 500 },
    );
  });
});
