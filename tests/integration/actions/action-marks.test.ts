import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { ActionListSchema, type Action } from '../../../shared/domain/actions/index.js';
import type { JourneyStateChanged } from '../../../shared/events/catalog/journey-state-changed.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { outcomeTransactItem, recordedOutcomes } from '../../../shared/db/action-runs.js';
import { mailClaimTransactItem, UnconfirmedSend } from '../../../shared/db/mail-once.js';
import { historyPage } from '../../../shared/db/history-page.js';
import { recordKeys } from '../../../shared/db/keys.js';
import { createRecord, getRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { transactWrite, type TransactItem } from '../../../shared/db/transact.js';
import { emailEventId, executeAction } from '../../../functions/events/actions/executors.js';
import { runActions, type RunActionsInput } from '../../../functions/events/actions/run-actions.js';
import { runEntryActions } from '../../../functions/journeys/entry-actions.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { DEMO_JOURNEY_ID } from '../../../infra/local/seed-journeys.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { createTestDeps, sesEndpoint } from '../../support/local-cloud.js';

let deps: AppDeps;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'marks' };
const via = { kind: 'workflow-rule', id: 'R-marks', name: 'Marks' };

beforeAll(async () => {
  deps = await createTestDeps();
  await seedDemo(deps);
});

const newRecord = (module: string, fields: Record<string, unknown>): Promise<RecordItem> => createRecord(deps, standardModule(module)!, { id: deps.newId(), ownerId: 'u-agent', fields: fields as never }, ctx);
const newDeal = () => newRecord('Deals', { name: `Deal ${deps.newId()}` });

/** The DynamoDB transactions written through `deps`, counted. */
const countingTransactions = () => {
  let transactions = 0;
  const db = { send: (command: { constructor: { name: string } }) => (command.constructor.name === 'TransactWriteCommand' && transactions++, deps.db.send(command as never)) } as unknown as AppDeps['db'];
  return { deps: { ...deps, db }, count: () => transactions };
};

const input = (record: RecordItem, actions: unknown[]): RunActionsInput => ({ sourceEventId: deps.newId(), via, depth: 1, actorId: 'u-admin', record, actions: ActionListSchema.parse(actions) as Action[] });

const entriesOf = async (module: string, id: string, eventName: string) =>
  (await historyPage(deps, recordKeys.key(module, id).PK, { limit: 100, oldestFirst: true })).items.filter((h) => h.eventName === eventName);
const updatesOf = (module: string, id: string) => entriesOf(module, id, 'record.updated');

/** One `journey.state-changed` event of the demo journey, delivered `times` at once. */
const enterRacing = (times: number, to: string, customer: RecordItem, trigger?: RecordItem) => {
  const sourceEventId = deps.newId();
  const data: JourneyStateChanged = { journeyId: DEMO_JOURNEY_ID, journeyVersion: 1, instanceId: deps.newId(), to, reason: 'test', version: 1, customer: { module: customer.module, id: customer.id }, ...(trigger ? { trigger: { module: trigger.module, id: trigger.id } } : {}) };
  return { sourceEventId, deliveries: Promise.all(Array.from({ length: times }, () => runEntryActions(deps, sourceEventId, data, 1, 'c'))) };
};

describe("an action's record write tells its marks' failures from a refusal of its fields", () => {
  it('a bad value is refused once with its field: the write is not tried again as if an email claim riding on it had failed, and the email still goes', async () => {
    const deal = await newDeal();
    const subject = `Claims ride ${deal.id}`;
    const counted = countingTransactions();
    const tail: TransactItem[] = [];
    const outcomes = await runActions(
      counted.deps,
      input(deal, [
        { type: 'associate', field: 'accountId', recordId: deps.newId() },
        { type: 'sendEmail', to: { kind: 'owner' }, template: { subject, text: 't' } },
      ]),
      { tail },
    );
    expect(outcomes[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^400 Invalid record fields \(fields\.accountId: No Accounts record with this id\)$/) });
    expect(outcomes[1]).toMatchObject({ status: 'done' });
    // The record write (with the email's claim) is the run's only transaction; the caller writes the tail.
    expect(counted.count()).toBe(1);
    await transactWrite(deps, tail);
    expect((await readSentMail(sesEndpoint())).filter((m) => m.subject === subject)).toHaveLength(1);
    expect((await getRecord(deps, 'Deals', deal.id))?.version).toBe(1);
  });

  it("a delivery that meets the outcome marker another delivery wrote first answers that outcome: no second change, no error, one outcome", async () => {
    const deal = await newDeal();
    const sourceEventId = deps.newId();
    // The other delivery's transaction landed first (its marker is there); this one's write carries the same marker.
    const first = { index: 0, type: 'updateFields', status: 'done' as const, detail: 'stage' };
    await transactWrite(deps, [outcomeTransactItem(deps, sourceEventId, first)]);
    const run = { sourceEventId, occurredAt: deps.clock().toISOString(), ctx: { ...ctx, via: 'automation' as const }, onceScope: `event/${sourceEventId}` };
    const outcome = await executeAction(deps, { type: 'updateFields', index: 0, module: 'Deals', recordId: deal.id, fields: { stage: 'Negotiation' } }, run);
    expect(outcome).toEqual({ ...first, replayed: true });
    expect((await getRecord(deps, 'Deals', deal.id))?.version).toBe(1);
    expect([...(await recordedOutcomes(deps, sourceEventId)).values()]).toEqual([{ ...first, replayed: true }]);
  });

  it("an email claim riding on the write that another delivery took first: the update is written without it, once, and the email is left to that delivery's claim", async () => {
    const deal = await newDeal();
    const delivery = input(deal, [
      { type: 'updateFields', fields: { stage: 'Proposal' } },
      { type: 'sendEmail', to: { kind: 'owner' }, template: { subject: `Claimed ${deal.id}`, text: 't' } },
    ]);
    await transactWrite(deps, [mailClaimTransactItem(deps, { eventId: emailEventId(delivery, { index: 1 }), to: 'u-agent@keiro.example' })]);
    const tail: TransactItem[] = [];
    // The claim is the other delivery's, unconfirmed: this one must not send (mail-once's UnconfirmedSend).
    await expect(runActions(deps, delivery, { tail })).rejects.toBeInstanceOf(UnconfirmedSend);
    expect(await getRecord(deps, 'Deals', deal.id)).toMatchObject({ version: 2, fields: { stage: 'Proposal' } });
    expect((await recordedOutcomes(deps, delivery.sourceEventId)).get(0)).toMatchObject({ status: 'done', detail: 'stage' });
    expect((await readSentMail(sesEndpoint())).filter((m) => m.subject === `Claimed ${deal.id}`)).toEqual([]);
  });

  it('two deliveries racing an update: both answer, one change, one outcome', async () => {
    const deal = await newDeal();
    const delivery = input(deal, [{ type: 'updateFields', fields: { stage: 'Negotiation' } }]);
    const raced = await Promise.all([runActions(deps, delivery), runActions(deps, delivery), runActions(deps, delivery)]);
    for (const outcomes of raced) expect(outcomes).toEqual([expect.objectContaining({ index: 0, type: 'updateFields', status: 'done' })]);
    expect(await updatesOf('Deals', deal.id)).toHaveLength(1);
    expect([...(await recordedOutcomes(deps, delivery.sourceEventId)).values()]).toEqual([expect.objectContaining({ index: 0, status: 'done' })]);
  });

  it("a journey's escalation delivered three times at once escalates once, with one outcome and no error", async () => {
    const contact = await newRecord('Contacts', { firstName: 'Aoi', lastName: 'Kato' });
    const urgent = await newRecord('Cases', { subject: 'Lost passport', contactId: contact.id, priority: 'High', status: 'Open' });
    const { sourceEventId, deliveries } = enterRacing(3, 'escalated', contact, urgent);
    for (const outcomes of await deliveries) expect(outcomes).toEqual([expect.objectContaining({ index: 0, type: 'escalate', status: 'done' })]);
    expect(await getRecord(deps, 'Cases', urgent.id)).toMatchObject({ version: 2, fields: { status: 'Escalated' } });
    expect(await updatesOf('Cases', urgent.id)).toHaveLength(1);
    expect([...(await recordedOutcomes(deps, sourceEventId)).values()]).toEqual([expect.objectContaining({ index: 0, type: 'escalate', status: 'done' })]);
  });

  it("a journey's lead conversion delivered three times at once converts once and every delivery answers (the losers meet the winner's marker)", async () => {
    const lead = await newRecord('Leads', { lastName: 'Mori', email: `mori.${deps.newId()}@example.jp` });
    const { sourceEventId, deliveries } = enterRacing(3, 'prospect', lead);
    for (const outcomes of await deliveries) expect(outcomes).toEqual([expect.objectContaining({ index: 0, type: 'convertLead', status: 'done' })]);
    expect(await getRecord(deps, 'Leads', lead.id)).toMatchObject({ version: 2, fields: { converted: true } });
    expect(await entriesOf('Leads', lead.id, 'lead.converted')).toHaveLength(1);
    expect([...(await recordedOutcomes(deps, sourceEventId)).values()]).toEqual([expect.objectContaining({ index: 0, type: 'convertLead', status: 'done' })]);
  });
});
