import { describe, expect, it } from 'vitest';
import { ERASED, addressDigest, eraseChanges, eraseFields, personalFieldNames, personalValues, scrubDeep, valueScrubber } from '../../../shared/domain/records/erasure.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';

const leads = standardModule('Leads')!;
const mika = { firstName: 'Mika', lastName: 'Honda', email: 'Mika.Honda@Example.JP', phone: '090-1234-5678', destinationWish: 'Okinawa' };

describe('erasure (pure)', () => {
  it('the standard Leads mark names, email and phone personal', () => {
    expect(personalFieldNames(leads)).toEqual(['firstName', 'lastName', 'email', 'phone']);
  });

  it('hunts every form a copy may take, longest first', () => {
    const values = personalValues(leads, mika, 'JP');
    expect(values).toEqual(expect.arrayContaining(['Mika.Honda@Example.JP', 'mika.honda@example.jp', '090-1234-5678', '+819012345678', '819012345678', '09012345678', '9012345678', 'Mika', 'Honda']));
    expect(values).not.toContain('Okinawa');
    expect(values[0]?.length).toBeGreaterThanOrEqual(values.at(-1)?.length ?? 0);
  });

  it('scrubs whole words in any casing, inside JSON strings too, and leaves other words alone', () => {
    const scrub = valueScrubber(personalValues(leads, mika, 'JP'));
    expect(scrub('Draft the travel plan for MIKA honda')).toBe(`Draft the travel plan for ${ERASED} ${ERASED}`);
    expect(scrub(JSON.stringify({ to: 'mika.honda@example.jp', phone: '+819012345678' }))).toBe(JSON.stringify({ to: ERASED, phone: ERASED }));
    expect(scrub('Hondas and Mikado stay')).toBe('Hondas and Mikado stay');
  });

  it('scrubDeep rewrites nested values and keys, and returns the same object when nothing matched', () => {
    const scrub = valueScrubber(['Mika']);
    const untouched = { a: ['x', { b: 1 }] };
    expect(scrubDeep(untouched, scrub)).toBe(untouched);
    expect(scrubDeep({ a: ['hi Mika', { Mika: 2 }] }, scrub)).toEqual({ a: [`hi ${ERASED}`, { [ERASED]: 2 }] });
  });

  it('history changes of personal fields become ERASED whatever their value; a cleared side stays null', () => {
    const changes = eraseChanges([{ field: 'firstName', old: null, new: 'A' }, { field: 'leadStatus', old: 'New', new: 'Qualified' }], new Set(['firstName']));
    expect(changes).toEqual([{ field: 'firstName', old: null, new: ERASED }, { field: 'leadStatus', old: 'New', new: 'Qualified' }]);
  });

  it("the record keeps no personal field, and its other texts lose the quotes", () => {
    const scrub = valueScrubber(personalValues(leads, mika, 'JP'));
    expect(eraseFields({ ...mika, destinationWish: 'Okinawa with Mika' }, new Set(personalFieldNames(leads)), scrub)).toEqual({ destinationWish: `Okinawa with ${ERASED}` });
  });

  it('an address digest ignores casing and spaces', () => {
    expect(addressDigest(' Mika.Honda@Example.JP ')).toBe(addressDigest('mika.honda@example.jp'));
    expect(addressDigest('mika.honda@example.jp')).toMatch(/^[0-9a-f]{64}$/);
  });
});
