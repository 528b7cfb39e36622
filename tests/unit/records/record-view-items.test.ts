import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldValues } from '../../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { indexWrites } from '../../../shared/db/record-index-items.js';
import { decimalOf, formatDecimal, parseDecimal, sumDecimals } from '../../../shared/domain/records/decimal.js';
import { bucket, counterDeltas, filledAttribute, sumAttribute } from '../../../shared/db/record-view-items.js';
import { aggregateFromCounters } from '../../../shared/db/record-views.js';

const module: ModuleMetadata = {
  name: 'Deals',
  label: 'Deals',
  kind: 'custom',
  version: 1,
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true },
    { name: 'stage', label: 'Stage', type: 'picklist', required: false, options: ['Open', 'Won', 'Lost'] },
    { name: 'amount', label: 'Amount', type: 'currency', required: false },
    { name: 'discount', label: 'Discount', type: 'percent', required: false },
  ],
};
const stage = module.fields[1] as ModuleMetadata['fields'][number];
const numberFields = module.fields.slice(2);

const valuesArb = fc.record(
  {
    stage: fc.constantFrom('Open', 'Won', 'Lost'),
    amount: fc.integer({ min: -10_000_00, max: 10_000_00 }).map((c) => c / 100),
    discount: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<FieldValues>;

/** Exact decimal a + b, as decimal text (what DynamoDB's ADD does with the deltas). */
const addText = (a: string | undefined, b: string | number): string => formatDecimal(sumDecimals([parseDecimal(a ?? '0') ?? decimalOf(0), parseDecimal(String(b)) ?? decimalOf(0)]));

/** What the counters must say: recomputed from every live record. */
const recompute = (records: Map<string, FieldValues>): Map<string, string> => {
  const out = new Map<string, string>();
  const add = (k: string, d: number) => out.set(k, addText(out.get(k), d));
  for (const values of records.values()) {
    const v = bucket(values.stage);
    add(`v:${v}`, 1);
    for (const f of numberFields) {
      if (typeof values[f.name] !== 'number') continue;
      add(sumAttribute(f.name, v), values[f.name] as number);
      add(filledAttribute(f.name, v), 1);
    }
  }
  for (const [k, n] of out) if (n === '0') out.delete(k);
  return out;
};

describe('view counters (kanban counts, chart sums)', () => {
  it('gives exact decimal deltas: no binary noise, no overflow past 2^53', () => {
    const amount = (before: number, after: number) => counterDeltas(stage, numberFields, { stage: 'Open', amount: before }, { stage: 'Open', amount: after }).get(sumAttribute('amount', 'Open'));
    expect(amount(0.1, 0.3)).toBe('0.2');
    expect(amount(1234.56, 1234.6)).toBe('0.04');
    expect(amount(-9007199254740991, 9007199254740991)).toBe('18014398509481982');
    expect(amount(9007199254740991, 0.01)).toBe('-9007199254740990.99');
  });

  it('applying the deltas of any create/update/delete sequence gives the recomputed counters', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), id: fc.integer({ min: 1, max: 6 }), values: valuesArb }),
      fc.record({ kind: fc.constant('update' as const), id: fc.integer({ min: 1, max: 6 }), values: valuesArb }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const live = new Map<string, FieldValues>();
        const counters = new Map<string, string>();
        for (const o of ops) {
          const id = String(o.id);
          const before = live.get(id);
          if (o.kind === 'create' && before) continue;
          if (o.kind !== 'create' && !before) continue;
          const after = o.kind === 'delete' ? undefined : o.values;
          for (const [k, d] of counterDeltas(stage, numberFields, before, after)) counters.set(k, addText(counters.get(k), d));
          if (after) live.set(id, after);
          else live.delete(id);
        }
        for (const [k, n] of counters) if (n === '0') counters.delete(k);
        expect(counters).toEqual(recompute(live));
      }),
    );
  });

  it('keeps the picklist counts as before: one ADD per changed picklist, nothing when nothing it counts changed', () => {
    const counterUpdates = (before: FieldValues | undefined, after: FieldValues | undefined) =>
      indexWrites('t', module, 'r1', before, after, 'JP')
        .filter((w) => w.item.Update)
        .map((w) => Object.fromEntries(Object.entries(w.item.Update?.ExpressionAttributeValues ?? {}).map(([k, v]) => [k, String(v)])));
    expect(counterUpdates(undefined, { name: 'A', stage: 'Open' })).toEqual([{ ':d0': '1' }]);
    expect(counterUpdates({ name: 'A', stage: 'Open' }, { name: 'B', stage: 'Open' })).toEqual([]);
    expect(counterUpdates({ name: 'A', stage: 'Open' }, { name: 'A', stage: 'Won' })).toEqual([{ ':d0': '-1', ':d1': '1' }]);
    expect(counterUpdates({ name: 'A', stage: 'Won', amount: 10 }, { name: 'A', stage: 'Won', amount: 12.5 })).toEqual([{ ':d0': '2.5' }]);
  });

  it('checks a user named by two fields once (a transaction may touch an item once)', () => {
    const twoUsers: ModuleMetadata = { ...module, fields: [...module.fields, { name: 'requesterId', label: 'R', type: 'user', required: false }, { name: 'assigneeId', label: 'A', type: 'user', required: false }] };
    const checks = indexWrites('t', twoUsers, 'r1', undefined, { name: 'A', requesterId: 'u-1', assigneeId: 'u-1' }, 'JP').filter((w) => w.item.ConditionCheck);
    expect(checks).toHaveLength(1);
    expect(checks[0]?.guard).toEqual({ kind: 'userTarget', field: 'requesterId' });
  });

  it('moves the kanban group item only when the picklist value changes', () => {
    const groupWrites = (before: FieldValues | undefined, after: FieldValues | undefined) =>
      indexWrites('t', module, 'r1', before, after, 'JP').flatMap((w) => (w.item.Put?.Item?.entity === 'RecordGroup' ? [`put ${w.item.Put.Item.PK}`] : w.item.Delete && String(w.item.Delete.Key?.PK).startsWith('RECGRP') ? [`delete ${w.item.Delete.Key?.PK}`] : []));
    expect(groupWrites(undefined, { name: 'A' })).toEqual(['put RECGRP#Deals#stage#(none)']);
    expect(groupWrites({ name: 'A' }, { name: 'A', stage: 'Won' })).toEqual(['delete RECGRP#Deals#stage#(none)', 'put RECGRP#Deals#stage#Won']);
    expect(groupWrites({ name: 'A', stage: 'Won' }, { name: 'B', stage: 'Won', amount: 3 })).toEqual([]);
    expect(groupWrites({ name: 'A', stage: 'Won' }, undefined)).toEqual(['delete RECGRP#Deals#stage#Won']);
  });

  it('turns a counter item into chart groups: options in order, stale values, then (none)', () => {
    const counters = { 'v:Open': 2, 'v:Won': 1, 'v:Old': 1, 'v:(none)': 1, 'v:Lost': 0, [sumAttribute('amount', 'Open')]: 30.5, [filledAttribute('amount', 'Open')]: 2, [sumAttribute('amount', 'Old')]: 4, [filledAttribute('amount', 'Old')]: 1 };
    expect(aggregateFromCounters(stage, counters, { kind: 'count' })).toEqual({
      groups: [
        { value: 'Open', count: 2, result: 2 },
        { value: 'Won', count: 1, result: 1 },
        { value: 'Lost', count: 0, result: 0 },
        { value: 'Old', count: 1, result: 1 },
        { value: '(none)', count: 1, result: 1 },
      ],
      total: { value: '(total)', count: 5, result: 5 },
    });
    const avg = aggregateFromCounters(stage, counters, { kind: 'avg', field: 'amount' });
    expect(avg.groups.map((g) => g.result)).toEqual([15.25, null, null, 4, null]);
    expect(avg.total.result).toBeCloseTo(34.5 / 3);
    expect(aggregateFromCounters(stage, counters, { kind: 'sum', field: 'amount' }).total.result).toBe(34.5);
  });

  it('reads sums past 2^53 and with decimals as DynamoDB holds them (decimal text), without losing the total', () => {
    const counters = { 'v:Open': '2', 'v:Won': '1', [sumAttribute('amount', 'Open')]: '18014398509481982', [filledAttribute('amount', 'Open')]: '2', [sumAttribute('amount', 'Won')]: '0.1' };
    const sum = aggregateFromCounters(stage, counters, { kind: 'sum', field: 'amount' });
    expect(sum.groups.map((g) => g.result)).toEqual([18014398509481982, 0.1, 0]);
    expect(sum.total).toEqual({ value: '(total)', count: 3, result: Number('18014398509481982.1') });
    expect(aggregateFromCounters(stage, counters, { kind: 'avg', field: 'amount' }).groups[0]?.result).toBe(9007199254740991);
  });
});
