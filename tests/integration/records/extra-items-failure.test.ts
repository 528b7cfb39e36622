import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { Conflict, Invalid } from '../../../shared/domain/errors.js';
import { createRecord, getRecord, updateRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { ExtraItemsRaceLost } from '../../../shared/db/lost-race.js';
import type { TransactItem } from '../../../shared/db/transact.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { createTestDeps } from '../../support/local-cloud.js';

const deals = standardModule('Deals')!;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'extras' };

/** What a caller of the records core would name: its own mark was there first. */
class MarkTaken extends Conflict {
  constructor() {
    super('the mark was there first');
  }
}

let deps: AppDeps;
beforeAll(async () => {
  deps = await createTestDeps();
  await seedDemo(deps);
});

const newDeal = (): Promise<RecordItem> => createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name: `Deal ${deps.newId()}` } as never }, ctx);

/** An extra item whose condition holds once: the second write of the same key fails it (as an action's marker does). */
const mark = (key: string): TransactItem => ({ Put: { TableName: deps.tableName, Item: { PK: `TEST#mark#${key}`, SK: 'MARK' }, ConditionExpression: 'attribute_not_exists(PK)' } });

/** A mark already written, so that a write carrying it fails its condition. */
const takenMark = async (): Promise<TransactItem> => {
  const key = deps.newId();
  await updateRecord(deps, deals, (await newDeal()).id, { fields: { stage: 'Proposal' } }, ctx, { extraItems: () => [mark(key)] });
  return mark(key);
};

describe("updateRecord and createRecord say what a failed extra item means (the caller's extraFailure)", () => {
  it('a failed extra item the caller names throws the caller error, with the failed indexes among its items, and writes nothing', async () => {
    const deal = await newDeal();
    const taken = await takenMark();
    const named = vi.fn((failed: number[]) => (failed.includes(1) ? new MarkTaken() : undefined));
    const write = updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx, { extraItems: () => [mark(deps.newId()), taken], extraFailure: named });
    await expect(write).rejects.toBeInstanceOf(MarkTaken);
    expect(named).toHaveBeenCalledWith([1]);
    expect((await getRecord(deps, 'Deals', deal.id))?.version).toBe(1);
  });

  it('unnamed, a failed extra item is a lost race (409), never "Invalid record fields"', async () => {
    const deal = await newDeal();
    const taken = await takenMark();
    const write = updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx, { extraItems: () => [taken] });
    await expect(write).rejects.toBeInstanceOf(ExtraItemsRaceLost);
    await expect(write).rejects.not.toBeInstanceOf(Invalid);
    // A hook that names none of the failed items keeps the same default.
    const unnamed = updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx, { extraItems: () => [taken], extraFailure: () => undefined });
    await expect(unnamed).rejects.toBeInstanceOf(ExtraItemsRaceLost);
    const created = createRecord(deps, deals, { id: deps.newId(), ownerId: 'u-agent', fields: { name: 'With a taken mark' } as never }, ctx, [taken]);
    await expect(created).rejects.toBeInstanceOf(ExtraItemsRaceLost);
    expect((await getRecord(deps, 'Deals', deal.id))?.version).toBe(1);
  });

  it('a bad field is still a 400 naming the field, and the hook is not asked when no extra item failed', async () => {
    const deal = await newDeal();
    const named = vi.fn(() => new MarkTaken());
    const write = updateRecord(deps, deals, deal.id, { fields: { accountId: 'NO-SUCH-ACCOUNT' } }, ctx, { extraItems: () => [mark(deps.newId())], extraFailure: named });
    await expect(write).rejects.toMatchObject({ kind: 'invalid', errors: [{ path: 'fields.accountId', message: 'No Accounts record with this id' }] });
    expect(named).not.toHaveBeenCalled();
  });

  it("a stale read with a named extra failure answers the caller's meaning (the work was done elsewhere: no re-read); unnamed, it re-reads and then loses the race", async () => {
    const deal = await newDeal();
    await updateRecord(deps, deals, deal.id, { fields: { stage: 'Proposal' } }, ctx);
    const taken = await takenMark();
    // `current` is the version-1 read: the record's own condition fails with the mark's.
    const named = updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx, { current: deal, extraItems: () => [taken], extraFailure: () => new MarkTaken() });
    await expect(named).rejects.toBeInstanceOf(MarkTaken);
    const unnamed = updateRecord(deps, deals, deal.id, { fields: { stage: 'Negotiation' } }, ctx, { current: deal, extraItems: () => [taken] });
    await expect(unnamed).rejects.toBeInstanceOf(ExtraItemsRaceLost);
    expect(await getRecord(deps, 'Deals', deal.id)).toMatchObject({ version: 2, fields: { stage: 'Proposal' } });
  });

  it('createRecord asks its hook the same way (indexes into the extra items)', async () => {
    const taken = await takenMark();
    const named = vi.fn(() => new MarkTaken());
    const id = deps.newId();
    await expect(createRecord(deps, deals, { id, ownerId: 'u-agent', fields: { name: 'Named' } as never }, ctx, [mark(deps.newId()), taken], { extraFailure: named })).rejects.toBeInstanceOf(MarkTaken);
    expect(named).toHaveBeenCalledWith([1]);
    expect(await getRecord(deps, 'Deals', id)).toBeUndefined();
  });
});
