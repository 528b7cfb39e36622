import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionHolds, criteriaHold, CriteriaSchema, type Condition, type Criteria, type CriteriaEntry } from '../../../shared/domain/criteria/index.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const fields = {
  name: 'Kyoto Retreat',
  amount: 2_000_000,
  price: 10.25,
  stage: 'Proposal',
  tags: ['vip', 'travel'],
  closingDate: '2026-06-30',
  departureDate: '2026-06-10',
  createdAt: '2026-06-14T09:00:00.000Z',
  vip: true,
  note: '',
};

describe('conditions: one operator per idea, on every field type', () => {
  it.each<[Condition, boolean]>([
    // text, picklist
    [{ field: 'stage', op: 'eq', value: 'Proposal' }, true],
    [{ field: 'stage', op: 'ne', value: 'Proposal' }, false],
    [{ field: 'stage', op: 'in', value: ['Proposal', 'Negotiation'] }, true],
    [{ field: 'stage', op: 'notIn', value: ['Proposal'] }, false],
    [{ field: 'name', op: 'contains', value: 'RETREAT' }, true],
    [{ field: 'name', op: 'contains', value: 'Osaka' }, false],
    // numbers and decimals
    [{ field: 'amount', op: 'gte', value: 2_000_000 }, true],
    [{ field: 'amount', op: 'gt', value: 2_000_000 }, false],
    [{ field: 'amount', op: 'lt', value: 3_000_000 }, true],
    [{ field: 'amount', op: 'lte', value: 1 }, false],
    [{ field: 'price', op: 'gt', value: 10.2 }, true],
    [{ field: 'price', op: 'eq', value: 10.25 }, true],
    [{ field: 'amount', op: 'gt', value: '1' as never }, false],
    // dates and date-times (a date-time compares by instant, in any offset)
    [{ field: 'closingDate', op: 'lt', value: '2026-07-01' }, true],
    [{ field: 'closingDate', op: 'gte', value: '2026-06-30' }, true],
    [{ field: 'createdAt', op: 'gt', value: '2026-06-14T17:59:00+09:00' }, true],
    [{ field: 'createdAt', op: 'eq', value: '2026-06-14T18:00:00+09:00' }, true],
    [{ field: 'createdAt', op: 'gte', value: '2026-06-15' }, false],
    // booleans
    [{ field: 'vip', op: 'eq', value: true }, true],
    [{ field: 'vip', op: 'ne', value: true }, false],
    [{ field: 'vip', op: 'eq', value: 'true' }, false],
    // multi-select: equals a value it contains; in/notIn on any overlap
    [{ field: 'tags', op: 'eq', value: 'travel' }, true],
    [{ field: 'tags', op: 'ne', value: 'vip' }, false],
    [{ field: 'tags', op: 'in', value: ['vip', 'gold'] }, true],
    [{ field: 'tags', op: 'notIn', value: ['gold'] }, true],
    [{ field: 'tags', op: 'contains', value: 'vip' }, true],
    [{ field: 'tags', op: 'contains', value: 'VIP' }, false],
    // empty and missing values
    [{ field: 'note', op: 'isEmpty' }, true],
    [{ field: 'missing', op: 'isEmpty' }, true],
    [{ field: 'name', op: 'isNotEmpty' }, true],
    [{ field: 'missing', op: 'eq', value: 'x' }, false],
    [{ field: 'missing', op: 'ne', value: 'x' }, true],
    [{ field: 'missing', op: 'notIn', value: ['x'] }, true],
    [{ field: 'missing', op: 'gt', value: 1 }, false],
    [{ field: 'missing', op: 'withinLastDays', value: 7 }, false],
  ])('%j → %s', (condition, expected) => {
    expect(conditionHolds(condition, fields, NOW)).toBe(expected);
  });

  it.each<[string, Condition, boolean]>([
    ['a date 5 days ago is within the last 7 days', { field: 'departureDate', op: 'withinLastDays', value: 7 }, true],
    ['a date 5 days ago is not within the last 4 days', { field: 'departureDate', op: 'withinLastDays', value: 4 }, false],
    ['a date 5 days ago is more than 4 days ago', { field: 'departureDate', op: 'moreThanDaysAgo', value: 4 }, true],
    ['a date 5 days ago is not more than 5 days ago', { field: 'departureDate', op: 'moreThanDaysAgo', value: 5 }, false],
    ['a date 15 days ahead is in the next 15 days', { field: 'closingDate', op: 'withinNextDays', value: 15 }, true],
    ['a date 15 days ahead is more than 14 days ahead', { field: 'closingDate', op: 'moreThanDaysAhead', value: 14 }, true],
    ['a past date is not in the next days', { field: 'departureDate', op: 'withinNextDays', value: 30 }, false],
    ['today is within the last 0 days', { field: 'today', op: 'withinLastDays', value: 0 }, true],
    ['a date-time 27 hours ago is within the last 2 days', { field: 'createdAt', op: 'withinLastDays', value: 2 }, true],
    ['a date-time 27 hours ago is not within the last 1 day (24 hours)', { field: 'createdAt', op: 'withinLastDays', value: 1 }, false],
    ['a number is no date', { field: 'amount', op: 'withinLastDays', value: 36500 }, false],
  ])('relative dates against the injected clock: %s', (_name, condition, expected) => {
    expect(conditionHolds(condition, { ...fields, today: '2026-06-15' }, NOW)).toBe(expected);
  });
});

describe('groups', () => {
  const big: Condition = { field: 'amount', op: 'gte', value: 1_000_000 };
  const won: Condition = { field: 'stage', op: 'eq', value: 'Won' };
  const vip: Condition = { field: 'tags', op: 'contains', value: 'vip' };

  it('(1 and 2) or 3, nested two levels and more', () => {
    expect(criteriaHold({ any: [{ all: [big, won] }, vip] }, fields, NOW)).toBe(true);
    expect(criteriaHold({ any: [{ all: [big, won] }, { all: [vip, { any: [won, { all: [big] }] }] }] }, fields, NOW)).toBe(true);
    expect(criteriaHold({ all: [big, { any: [won, { all: [{ field: 'vip', op: 'eq', value: false }] }] }] }, fields, NOW)).toBe(false);
  });

  it('absent criteria and an empty all hold for every record', () => {
    expect(criteriaHold(undefined, {}, NOW)).toBe(true);
    expect(criteriaHold({ all: [] }, {}, NOW)).toBe(true);
  });

  it('a resolver reads dotted references (kiosks)', () => {
    const context = { results: { find: { count: 0 } } } as Record<string, unknown>;
    const read = (ref: string) => ref.split('.').reduce<unknown>((at, k) => (at as Record<string, unknown> | undefined)?.[k], context);
    expect(criteriaHold({ all: [{ field: 'results.find.count', op: 'eq', value: 0 }] }, read, NOW)).toBe(true);
  });

  it('a field named like an Object property is just missing', () => {
    expect(criteriaHold({ all: [{ field: 'constructor', op: 'isEmpty' }, { field: 'toString', op: 'isEmpty' }] }, {}, NOW)).toBe(true);
  });
});

describe('the schema', () => {
  const parse = (v: unknown) => CriteriaSchema.safeParse(v);
  it('takes today’s spelling only, with limits', () => {
    expect(parse({ all: [{ field: 'a', op: 'eq', value: 1 }] }).success).toBe(true);
    expect(parse({ any: [] }).success).toBe(false);
    expect(parse({ all: [], any: [] }).success).toBe(false);
    expect(parse([{ field: 'a', op: 'eq', value: 1 }]).success).toBe(false);
    expect(parse({ all: [{ field: 'a', op: 'equals', value: 1 }] }).success).toBe(false);
    expect(parse({ all: [{ field: 'a', op: 'isEmpty', value: 1 }] }).success).toBe(false);
    expect(parse({ all: [{ field: 'a', op: 'in', value: [] }] }).success).toBe(false);
    expect(parse({ all: [{ field: 'a', op: 'withinLastDays', value: 1.5 }] }).success).toBe(false);
    expect(parse({ all: [{ field: '__proto__', op: 'isEmpty' }] }).success).toBe(false);
    const nest = (levels: number): unknown => (levels === 0 ? { field: 'a', op: 'isEmpty' } : { all: [nest(levels - 1)] });
    expect(parse(nest(4)).success).toBe(true);
    expect(parse(nest(5)).success).toBe(false);
    expect(parse({ all: Array.from({ length: 26 }, () => ({ field: 'a', op: 'isEmpty' })) }).success).toBe(false);
    const many = { all: Array.from({ length: 3 }, () => ({ all: Array.from({ length: 20 }, () => ({ field: 'a', op: 'isEmpty' })) })) };
    expect(parse(many).success).toBe(false);
  });
});

/** The reference model: each operator written out the plainest way, on plain values (no dates). */
type Plain = string | number | boolean | string[] | undefined;
const model = (c: Condition, v: Plain): boolean => {
  const present = !(v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
  const list: unknown[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  switch (c.op) {
    case 'isEmpty':
      return !present;
    case 'isNotEmpty':
      return present;
    case 'eq':
      return list.includes(c.value);
    case 'ne':
      return !list.includes(c.value);
    case 'in':
      return c.value.some((x) => list.includes(x));
    case 'notIn':
      return !c.value.some((x) => list.includes(x));
    case 'contains':
      return Array.isArray(v) ? v.includes(c.value) : typeof v === 'string' && v.toLowerCase().indexOf(c.value.toLowerCase()) >= 0;
    case 'gt':
      return typeof v === 'number' && typeof c.value === 'number' && v > c.value;
    case 'gte':
      return typeof v === 'number' && typeof c.value === 'number' && v >= c.value;
    case 'lt':
      return typeof v === 'number' && typeof c.value === 'number' && v < c.value;
    case 'lte':
      return typeof v === 'number' && typeof c.value === 'number' && v <= c.value;
    default:
      return false;
  }
};
const modelGroup = (g: Criteria, values: Record<string, Plain>): boolean => {
  const holds = (e: CriteriaEntry) => ('op' in e ? model(e, values[e.field]) : modelGroup(e, values));
  return g.all ? g.all.every(holds) : (g.any ?? []).some(holds);
};

const FIELDS = ['a', 'b', 'c'] as const;
// Text values avoid date-like strings: the model leaves dates to the table tests above.
const text = fc.constantFrom('', 'x', 'X', 'xy', 'y', 'Tokyo');
const scalar = fc.oneof(text, fc.integer({ min: -3, max: 3 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.boolean());
const value: fc.Arbitrary<Plain> = fc.oneof(scalar, fc.array(text.filter((t) => t !== ''), { maxLength: 3 }), fc.constant(undefined));
const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('eq' as const, 'ne' as const), value: scalar }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), value: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('in' as const, 'notIn' as const), value: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constant('contains' as const), value: text.filter((t) => t !== '') }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('isEmpty' as const, 'isNotEmpty' as const) }),
);
const { group } = fc.letrec<{ group: Criteria; entry: CriteriaEntry }>((tie) => ({
  group: fc.oneof(
    fc.record({ all: fc.array(tie('entry'), { maxLength: 4 }) }),
    fc.record({ any: fc.array(tie('entry'), { minLength: 1, maxLength: 4 }) }),
  ) as fc.Arbitrary<Criteria>,
  entry: fc.oneof({ depthSize: 'small', withCrossShrink: true }, condition, tie('group')) as fc.Arbitrary<CriteriaEntry>,
}));
const record = fc.record({ a: value, b: value, c: value }, { requiredKeys: [] });

describe('properties: the evaluator against the reference model', () => {
  it('every condition agrees with the model', () => {
    fc.assert(
      fc.property(condition, value, (c, v) => {
        expect(conditionHolds(c, { [c.field]: v } as Record<string, unknown>, NOW)).toBe(model(c, v));
      }),
    );
  });

  it('every group of any depth agrees with the model', () => {
    fc.assert(
      fc.property(group, record, (g, r) => {
        expect(criteriaHold(g, r, NOW)).toBe(modelGroup(g, r as Record<string, Plain>));
      }),
    );
  });

  it('negations: ne/eq, notIn/in and isEmpty/isNotEmpty are complements; any of one is all of one', () => {
    fc.assert(
      fc.property(condition, record, (c, r) => {
        const opposite: Partial<Record<Condition['op'], Condition['op']>> = { eq: 'ne', ne: 'eq', in: 'notIn', notIn: 'in', isEmpty: 'isNotEmpty', isNotEmpty: 'isEmpty' };
        const flip = opposite[c.op];
        if (flip) expect(conditionHolds({ ...c, op: flip } as Condition, r, NOW)).toBe(!conditionHolds(c, r, NOW));
        expect(criteriaHold({ any: [c] }, r, NOW)).toBe(criteriaHold({ all: [c] }, r, NOW));
      }),
    );
  });
});
