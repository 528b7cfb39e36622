import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import type { FieldValues } from '../../../shared/domain/records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { createModule, getModule, updateModule } from '../../../shared/db/modules-repo.js';
import { createRecord, deleteRecord, getRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { aggregateFromCounters, groupValues, kanbanColumn, readCounters } from '../../../shared/db/record-views.js';
import { bucket, viewGeneration } from '../../../shared/db/record-view-items.js';
import { getBackfill } from '../../../shared/db/view-backfill-repo.js';
import { runViewBackfill } from '../../../functions/records/view-backfill.js';
import { createTestDeps } from '../../support/local-cloud.js';

const ctx = { actor: 'u-admin', via: 'api' as const, correlationId: 'backfill' };
const TIERS = ['Gold', 'Silver', 'Bronze'] as const;

class Crash extends Error {}

/**
 * After a module's fields change, its views must be right for every record, old ones included: the
 * backfill counts the records written before the change into the new definition's view generation.
 */
// Bounded work (a few dozen records), but many round trips: give it room on a loaded 2-core machine.
describe('view backfill after a module change (DynamoDB Local)', { timeout: 120_000 }, () => {
  let deps: AppDeps;
  let run = 0;
  beforeAll(async () => {
    deps = await createTestDeps();
  });

  /** A module with a text `tier` and a number `budget`, and `n` records with both filled in various ways. */
  const seeded = async (n: number) => {
    const module = await createModule(
      deps,
      {
        name: `Trips${++run}`,
        label: 'Trips',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true },
          { name: 'tier', label: 'Tier', type: 'text', required: false },
          { name: 'budget', label: 'Budget', type: 'number', required: false },
        ],
      },
      'custom',
      ctx,
    );
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const fields: FieldValues = { name: `trip ${i}`, ...(i % 4 === 3 ? {} : { tier: TIERS[i % 3] as string }), ...(i % 5 === 4 ? {} : { budget: (i * 137) % 1000 + 0.25 }) };
      ids.push((await createRecord(deps, module, { id: deps.newId(), ownerId: 'u-admin', fields }, ctx)).id);
    }
    return { module, ids };
  };

  /** `tier` becomes a picklist, `stay` (a new picklist) and `nights` (a new number) are added. */
  const changeFields = async (module: ModuleMetadata): Promise<ModuleMetadata> =>
    updateModule(
      deps,
      module,
      {
        name: module.name,
        label: module.label,
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true },
          { name: 'tier', label: 'Tier', type: 'picklist', required: false, options: [...TIERS] },
          { name: 'budget', label: 'Budget', type: 'number', required: false },
          { name: 'stay', label: 'Stay', type: 'picklist', required: false, options: ['Hotel', 'Ryokan'] },
          { name: 'nights', label: 'Nights', type: 'number', required: false },
        ],
      },
      ctx,
    );

  /** The views of every picklist equal a recomputation from the records themselves. */
  const expectViewsEqualRecords = async (moduleName: string, ids: readonly string[]) => {
    const module = (await getModule(deps, moduleName, true)) as ModuleMetadata;
    const generation = viewGeneration(module);
    const records = (await Promise.all(ids.map((id) => getRecord(deps, moduleName, id)))).filter((r) => r !== undefined);
    for (const field of module.fields.filter((f): f is FieldDefinition => f.type === 'picklist')) {
      const counters = await readCounters(deps, moduleName, field.name, generation);
      for (const metric of ['budget', 'nights']) {
        const chart = aggregateFromCounters(field, counters, { kind: 'sum', field: metric });
        for (const group of chart.groups) {
          const inGroup = records.filter((r) => bucket(r.fields[field.name]) === group.value);
          expect(group.count, `${field.name}=${group.value}`).toBe(inGroup.length);
          const sum = inGroup.reduce((s, r) => s + (typeof r.fields[metric] === 'number' ? Math.round((r.fields[metric] as number) * 100) : 0), 0) / 100;
          expect(group.result, `${field.name}=${group.value} sum ${metric}`).toBe(sum);
        }
        expect(chart.total.count).toBe(records.length);
      }
      for (const value of groupValues(field, counters)) {
        const column = await kanbanColumn(deps, moduleName, field.name, value, 200, undefined, generation);
        const expected = records.filter((r) => bucket(r.fields[field.name]) === value).map((r) => r.id).sort().reverse();
        expect(column.records.map((r) => r.id), `${field.name}=${value} column`).toEqual(expected);
      }
    }
  };

  it('records exist, a picklist and a number field are added: the backfill makes the views equal a recomputation', async () => {
    const { module, ids } = await seeded(12);
    const changed = await changeFields(module);
    // Before the backfill the new generation knows none of the old records.
    expect((await readCounters(deps, module.name, 'tier', viewGeneration(changed)))['v:Gold'] ?? 0).toBe(0);
    const result = await runViewBackfill(deps, module.name, { pageSize: 5 });
    expect(result.more).toBe(false);
    expect(result.progress).toMatchObject({ status: 'done', processed: 12, scanned: 12, generation: viewGeneration(changed) });
    expect(result.progress?.finishedAt).toBeDefined();
    await expectViewsEqualRecords(module.name, ids);
    // Running it again changes nothing (idempotent).
    await runViewBackfill(deps, module.name, { pageSize: 5 });
    await expectViewsEqualRecords(module.name, ids);
  });

  it('a crash mid-page resumes from the saved cursor and counts no record twice', async () => {
    const { module, ids } = await seeded(11);
    await changeFields(module);
    let seen = 0;
    const crashAt = 8;
    await expect(
      runViewBackfill(deps, module.name, {
        pageSize: 5,
        beforeRecord: () => {
          if (++seen === crashAt) throw new Crash('killed mid-page');
        },
      }),
    ).rejects.toBeInstanceOf(Crash);
    const halfway = await getBackfill(deps, module.name, viewGeneration((await getModule(deps, module.name, true)) as ModuleMetadata));
    expect(halfway).toMatchObject({ status: 'running', scanned: 5, processed: 5 });
    // The restarted run re-reads the crashed page: the two records it had counted are skipped.
    const resumed = await runViewBackfill(deps, module.name, { pageSize: 5 });
    expect(resumed.progress).toMatchObject({ status: 'done', scanned: 11, processed: 11 - 2 });
    await expectViewsEqualRecords(module.name, ids);
  });

  it('a run with a page budget hands over (more: true) and the next run finishes it', async () => {
    const { module, ids } = await seeded(12);
    await changeFields(module);
    const first = await runViewBackfill(deps, module.name, { pageSize: 4, maxPages: 1 });
    expect(first.more).toBe(true);
    expect(first.progress).toMatchObject({ status: 'running', scanned: 4 });
    const second = await runViewBackfill(deps, module.name, { pageSize: 4, maxPages: 10 });
    expect(second).toMatchObject({ more: false, progress: { status: 'done', scanned: 12 } });
    await expectViewsEqualRecords(module.name, ids);
  });

  it('writes during the backfill (patches, deletes, creates) and two concurrent runs never double count', async () => {
    const { module, ids } = await seeded(20);
    const changed = await changeFields(module);
    const live = [...ids];
    const writes = (async () => {
      for (let i = 0; i < 10; i++) {
        await updateRecord(deps, changed, live[i * 2] as string, { fields: { tier: TIERS[(i + 1) % 3] as string, stay: i % 2 ? 'Hotel' : 'Ryokan', nights: i + 1 } }, ctx);
      }
      await deleteRecord(deps, changed, live[1] as string, ctx);
      live.splice(1, 1);
      for (let i = 0; i < 3; i++) live.push((await createRecord(deps, changed, { id: deps.newId(), ownerId: 'u-admin', fields: { name: `new ${i}`, tier: 'Gold', nights: 2 } }, ctx)).id);
    })();
    await Promise.all([writes, runViewBackfill(deps, module.name, { pageSize: 3 }), runViewBackfill(deps, module.name, { pageSize: 7 })]);
    // Whichever run stopped early, one more run completes the backfill.
    const final = await runViewBackfill(deps, module.name, { pageSize: 10 });
    expect(final.progress?.status).toBe('done');
    await expectViewsEqualRecords(module.name, live);
  });

  it('a module never changed has nothing to backfill; a newer definition supersedes a running backfill', async () => {
    const { module, ids } = await seeded(6);
    expect(await runViewBackfill(deps, module.name)).toEqual({ more: false });
    const changed = await changeFields(module);
    await runViewBackfill(deps, module.name, { pageSize: 2, maxPages: 1 });
    await changeFields(changed);
    const stale = await getBackfill(deps, module.name, viewGeneration(changed));
    expect(stale?.status).toBe('running');
    const result = await runViewBackfill(deps, module.name, { pageSize: 2 });
    expect(result.progress).toMatchObject({ status: 'done', scanned: 6, processed: 6 });
    await expectViewsEqualRecords(module.name, ids);
  });
});
