import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historyKeys, lookupKeys, padVersion, recordKeys, refKeys, userKeys } from '../../../shared/db/keys.js';
import { normaliseForLookup, phoneToE164 } from '../../../shared/domain/records/normalise.js';
import { ModuleDefinitionSchema } from '../../../shared/domain/records/module-definition.js';
import { STANDARD_MODULES } from '../../../shared/domain/records/standard-modules.js';
import { worstCaseWriteItems } from '../../../shared/domain/records/write-budget.js';

describe('keys', () => {
  it('puts a record and its history in one partition, history sorted by time', () => {
    const record = recordKeys.key('Leads', '01J');
    const early = historyKeys.key(record.PK, '2026-01-01T00:00:00.000Z', 'A');
    const late = historyKeys.key(record.PK, '2026-01-02T00:00:00.000Z', 'B');
    expect(early.PK).toBe(record.PK);
    expect(early.SK < late.SK).toBe(true);
    expect(early.SK.startsWith(historyKeys.prefix)).toBe(true);
  });

  it('lists a module by updatedAt through GSI1', () => {
    expect(recordKeys.item('Leads', 'id1', '2026-01-01T00:00:00.000Z')).toMatchObject({ GSI1PK: 'RECS#Leads', GSI1SK: '2026-01-01T00:00:00.000Z#id1' });
  });

  it('keeps entity key spaces apart', () => {
    const pks = [recordKeys.key('Leads', 'x').PK, userKeys.key('x').PK, lookupKeys.partition('Leads', 'phone', 'x'), refKeys.partition('Leads', 'x')];
    expect(new Set(pks).size).toBe(pks.length);
  });

  it('property: padded versions sort like numbers', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e9), (a, b) => Math.sign(padVersion(a).localeCompare(padVersion(b))) === Math.sign(a - b)));
  });
});

describe('normalisation for lookups', () => {
  it.each(['090-1234-5678', '+81 90 1234 5678', '09012345678', '(090) 1234-5678', '+819012345678'])('%s is +819012345678 in Japan', (input) => {
    expect(phoneToE164(input, 'JP')).toBe('+819012345678');
  });

  it('rejects what is not a phone number', () => {
    expect(phoneToE164('12', 'JP')).toBeUndefined();
    expect(phoneToE164('hello', 'JP')).toBeUndefined();
  });

  it('lower-cases emails', () => {
    expect(normaliseForLookup('email', ' A@B.JP ', 'JP')).toBe('a@b.jp');
  });
});

describe('module definitions', () => {
  it('every standard module is a valid definition', () => {
    for (const module of STANDARD_MODULES) expect(ModuleDefinitionSchema.safeParse(module).success).toBe(true);
  });

  it.each([
    ['a picklist without options', [{ name: 'a', label: 'A', type: 'picklist' }], 'fields.0.options'],
    ['a lookup without a module', [{ name: 'a', label: 'A', type: 'lookup' }], 'fields.0.lookupModule'],
    ['duplicate field names', [{ name: 'a', label: 'A', type: 'text' }, { name: 'a', label: 'B', type: 'text' }], 'fields.1.name'],
    ['a field name that is not camelCase', [{ name: 'First Name', label: 'A', type: 'text' }], 'fields.0.name'],
    ['a unique boolean', [{ name: 'a', label: 'A', type: 'boolean', unique: true }], 'fields.0.unique'],
    ['a required read-only field', [{ name: 'a', label: 'A', type: 'text', required: true, readOnly: true }], 'fields.0.required'],
  ])('refuses %s', (_label, fields, path) => {
    const result = ModuleDefinitionSchema.safeParse({ name: 'Custom', label: 'Custom', fields });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('the write budget of a module definition', () => {
  const picklists = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, label: `P${i}`, type: 'picklist', options: ['A', 'B'] }));

  it('accepts a module whose writes fit in one transaction', () => {
    expect(ModuleDefinitionSchema.safeParse({ name: 'Wide', label: 'Wide', fields: [{ name: 'title', label: 'T', type: 'text' }, ...picklists(32)] }).success).toBe(true);
  });

  it('refuses, at definition time, a module whose record writes could exceed 100 transaction items', () => {
    const result = ModuleDefinitionSchema.safeParse({ name: 'TooWide', label: 'Too wide', fields: picklists(33) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['fields']);
  });

  it('counts what each indexed field costs', () => {
    expect(worstCaseWriteItems([], false)).toBe(3);
    expect(worstCaseWriteItems([{ name: 'e', label: 'E', type: 'email', required: false, unique: true }], false)).toBe(7);
    expect(worstCaseWriteItems([{ name: 'a', label: 'A', type: 'lookup', required: false, lookupModule: 'Accounts' }], true)).toBe(10);
  });
});
