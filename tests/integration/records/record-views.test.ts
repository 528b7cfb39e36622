import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { FieldValues } from '../../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { createModule } from '../../../shared/db/modules-repo.js';
import { createRecord, deleteRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { aggregateFromCounters, groupValues, kanbanColumn, readCounters } from '../../../shared/db/record-views.js';
import { bucket } from '../../../shared/db/record-view-items.js';
import { createTestDeps } from '../../support/local-cloud.js';

const ctx = { actor: 'u-admin', via: 'api' as const, correlationId: 'views' };
const STAGES = ['Open', 'Won', 'Lost'] as const;

describe('kanban and chart views stay equal to the records, whatever happens to them (DynamoDB Local)', () => {
  let deps: AppDeps;
  let run = 0;
  beforeAll(async () => {
    deps = await createTestDeps();
  });

  const newModule = async (): Promise<ModuleMetadata> =>
    createModule(
      deps,
      {
        name: `Deals${++run}`,
        label: 'Deals',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true },
          { name: 'stage', label: 'Stage', type: 'picklist', required: false, options: [...STAGES] },
          { name: 'amount', label: 'Amount', type: 'currency', required: false },
        ],
      },
      'custom',
      ctx,
    );

  const valuesArb = fc.record({ stage: fc.option(fc.constantFrom(...STAGES), { nil: undefined }), amount: fc.option(fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100), { nil: undefined }) });
  const opArb = fc.record({ kind: fc.constantFrom('create', 'update', 'delete'), slot: fc.integer({ min: 0, max: 4 }), values: valuesArb });

  it('counts, sums, averages and column records after random creates, patches and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 15 }), async (ops) => {
        const module = await newModule();
        const live = new Map<number, { id: string; fields: FieldValues }>();
        for (const op of ops) {
          const current = live.get(op.slot);
          const fields: FieldValues = { name: `deal ${op.slot}`, ...(op.values.stage ? { stage: op.values.stage } : {}), ...(op.values.amount !== undefined ? { amount: op.values.amount } : {}) };
          if (!current && op.kind === 'create') {
            const item = await createRecord(deps, module, { id: deps.newId(), ownerId: 'u-admin', fields }, ctx);
            live.set(op.slot, { id: item.id, fields });
          } else if (current && op.kind === 'update') {
            const patch = { stage: op.values.stage ?? null, amount: op.values.amount ?? null };
            const { item } = await updateRecord(deps, module, current.id, { fields: patch }, ctx);
            live.set(op.slot, { id: item.id, fields: item.fields });
          } else if (current && op.kind === 'delete') {
            await deleteRecord(deps, module, current.id, ctx);
            live.delete(op.slot);
          }
        }
        const stage = module.fields[1] as ModuleMetadata['fields'][number];
        const counters = await readCounters(deps, module.name, 'stage');
        const records = [...live.values()];
        const chart = aggregateFromCounters(stage, counters, { kind: 'sum', field: 'amount' });
        for (const group of chart.groups) {
          const inGroup = records.filter((r) => bucket(r.fields.stage) === group.value);
          expect(group.count).toBe(inGroup.length);
          const sum = inGroup.reduce((s, r) => s + (typeof r.fields.amount === 'number' ? Math.round(r.fields.amount * 100) : 0), 0) / 100;
          expect(group.result).toBe(sum);
        }
        for (const value of groupValues(stage, counters)) {
          const column = await kanbanColumn(deps, module.name, 'stage', value, 50);
          const expectedIds = records.filter((r) => bucket(r.fields.stage) === value).map((r) => r.id).sort().reverse();
          expect(column.records.map((r) => r.id)).toEqual(expectedIds);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('keeps sums past 2^53 and at 10 decimal places exact in DynamoDB, and reads them back as decimal text', async () => {
    const module = await newModule();
    const max = Number.MAX_SAFE_INTEGER;
    const ids: string[] = [];
    for (const amount of [max, max, max, 0.01]) ids.push((await createRecord(deps, module, { id: deps.newId(), ownerId: 'u-admin', fields: { name: 'big', stage: 'Won', amount } }, ctx)).id);
    let counters = await readCounters(deps, module.name, 'stage');
    expect(counters['v:Won']).toBe(4);
    expect(counters['s:amount:Won']).toBe('27021597764222973.01');
    expect(aggregateFromCounters(module.fields[1] as ModuleMetadata['fields'][number], counters, { kind: 'sum', field: 'amount' }).total.result).toBe(Number('27021597764222973.01'));
    // From -(2^53 - 1) to 2^53 - 1 and back: deltas no double holds.
    await updateRecord(deps, module, ids[0] as string, { fields: { amount: -max } }, ctx);
    await updateRecord(deps, module, ids[0] as string, { fields: { amount: max } }, ctx);
    for (const id of ids.slice(1)) await deleteRecord(deps, module, id, ctx);
    counters = await readCounters(deps, module.name, 'stage');
    expect(counters['s:amount:Won']).toBe(max);
    expect(counters['v:Won']).toBe(1);
  });
});
