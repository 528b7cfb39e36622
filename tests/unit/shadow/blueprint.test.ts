import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlueprintDefinitionSchema, type BlueprintDefinition } from '../../../shared/domain/blueprint/index.js';
import type { ShadowChange } from '../../../shared/domain/shadow/change.js';
import type { ShadowSubject } from '../../../shared/domain/shadow/engine.js';
import { countOf, recordCreated, recordUpdated, replayed, replayedInPages, samplesOf, shadowChange, timeFrom } from '../../support/shadow-changes.js';

const at = timeFrom('2026-11-01T00:00:00.000Z', 3_600_000);

const dealSales = (threshold: number, over: Partial<BlueprintDefinition> = {}): BlueprintDefinition =>
  BlueprintDefinitionSchema.parse({
    name: 'Deal sales',
    module: 'Deals',
    field: 'stage',
    entryCriteria: { all: [{ field: 'amount', op: 'gte', value: 100 }] },
    initialState: 'Qualification',
    states: ['Qualification', 'Proposal', 'Negotiation', 'Won', 'Lost'],
    transitions: [
      {
        id: 'propose',
        name: 'Propose',
        from: 'Qualification',
        to: 'Proposal',
        before: { who: [{ kind: 'owner' }], criteria: { all: [{ field: 'amount', op: 'gte', value: threshold }] } },
        after: [{ type: 'createTask', subject: 'Prepare the proposal', assignee: { kind: 'owner' } }],
      },
      { id: 'negotiate', name: 'Negotiate', from: 'Proposal', to: 'Negotiation', before: { who: [{ kind: 'owner' }] } },
      { id: 'win', name: 'Win', from: 'Negotiation', to: 'Won', before: { who: [{ kind: 'owner' }] } },
      { id: 'lose', name: 'Lose', kind: 'common', to: 'Lost', before: { who: [{ kind: 'owner' }] } },
      { id: 'chase', name: 'Chase the owner', kind: 'automatic', from: 'Proposal', escalate: true, afterHours: 48, after: [{ type: 'notify', to: { kind: 'owner' }, message: 'The proposal waits' }] },
      { id: 'expire', name: 'Expire', kind: 'automatic', from: 'Negotiation', to: 'Lost', afterHours: 240 },
    ],
    ...over,
  });
const subjectOf = (definition: BlueprintDefinition, version = 2): ShadowSubject => ({ kind: 'blueprint', blueprintId: 'BP1', version, definition });

/** Deal `id` at `hours`. */
const deal = (id: string, hours: number) => ({ at: at(hours), module: 'Deals', recordId: id, fields: { name: id } });
const created = (id: string, hours: number, fields: Record<string, unknown>): ShadowChange => recordCreated(deal(id, hours), fields);
const updated = (id: string, hours: number, fields: Record<string, unknown>, changed: Record<string, unknown>): ShadowChange => recordUpdated(deal(id, hours), fields, changed);
const transitioned = (id: string, hours: number, transitionId: string, blueprintId = 'BP1'): ShadowChange =>
  shadowChange({ event: 'blueprint.transitioned', at: at(hours), module: 'Deals', recordId: id, data: { blueprintId, transitionId } });

const run = (subject: ShadowSubject, changes: ShadowChange[], published?: ShadowSubject, end = 2_000) => replayed(subject, changes, at(end), { published }).result;

describe('a blueprint replayed (the live engines: entry criteria, transitionOpen, automaticDue, fireAutomatic)', () => {
  it('a record meeting the entry criteria enters in the initial state; one that does not is not governed', () => {
    const result = run(subjectOf(dealSales(1_000)), [created('D1', 0, { amount: 500 }), created('D2', 1, { amount: 50 })]);
    expect(countOf(result, 'enrollment', 'Deal sales: enters in Qualification')).toBe(1);
    expect(samplesOf(result, 'enrollment', 'Deal sales: enters in Qualification').map((s) => s.record.id)).toEqual(['D1']);
  });

  it('a record entering on an update keeps a state it already has, else starts in the initial one', () => {
    const result = run(subjectOf(dealSales(1_000)), [
      created('D1', 0, { amount: 50, stage: 'Negotiation' }),
      updated('D1', 1, { amount: 50, stage: 'Negotiation' }, { amount: 500 }),
      created('D2', 0, { amount: 50, stage: 'Closed' }),
      updated('D2', 1, { amount: 50, stage: 'Closed' }, { amount: 500 }),
    ]);
    expect(countOf(result, 'enrollment', 'Deal sales: enters in Negotiation')).toBe(1);
    expect(countOf(result, 'enrollment', 'Deal sales: enters in Qualification')).toBe(1);
  });

  it('a recorded move is offered when a transition to it is open (criteria on the record before the move), with its after-actions; else blocked with the API reason', () => {
    const result = run(subjectOf(dealSales(1_000)), [
      created('D1', 0, { amount: 2_000 }),
      updated('D1', 1, { amount: 2_000, stage: 'Qualification' }, { stage: 'Proposal' }),
      created('D2', 0, { amount: 500 }),
      updated('D2', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }),
      created('D3', 0, { amount: 500 }),
      updated('D3', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Won' }),
    ]);
    expect(countOf(result, 'transitionOffered', 'Propose: Qualification → Proposal')).toBe(1);
    expect(countOf(result, 'task', 'Prepare the proposal')).toBe(1);
    expect(samplesOf(result, 'task', 'Prepare the proposal')[0]).toMatchObject({ record: { id: 'D1' }, outcome: 'ran', actions: [{ index: 0, type: 'createTask', status: 'done', detail: 'Prepare the proposal' }] });
    expect(samplesOf(result, 'transitionBlocked', 'Qualification → Proposal')).toEqual([expect.objectContaining({ record: { module: 'Deals', id: 'D2' }, outcome: 'refused', reason: 'The record does not meet the criteria of "Propose"' })]);
    expect(samplesOf(result, 'transitionBlocked', 'Qualification → Won')).toEqual([expect.objectContaining({ record: { module: 'Deals', id: 'D3' }, reason: 'No transition of "Deal sales" from Qualification to Won' })]);
  });

  it('a blocked move leaves the record where the draft holds it, as the API refusal would: later moves are judged from there', () => {
    const result = run(subjectOf(dealSales(1_000)), [
      created('D1', 0, { amount: 500 }),
      updated('D1', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }),
      updated('D1', 2, { amount: 500, stage: 'Proposal' }, { stage: 'Negotiation' }),
      updated('D1', 3, { amount: 500, stage: 'Negotiation' }, { stage: 'Lost' }),
    ]);
    expect(countOf(result, 'transitionBlocked', 'Qualification → Proposal')).toBe(1);
    expect(countOf(result, 'transitionBlocked', 'Qualification → Negotiation')).toBe(1);
    expect(countOf(result, 'transitionOffered', 'Lose: Qualification → Lost')).toBe(1);
  });

  it('a common transition leaves any state but its own target', () => {
    const result = run(subjectOf(dealSales(1_000)), [created('D1', 0, { amount: 500 }), updated('D1', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Lost' })]);
    expect(countOf(result, 'transitionOffered', 'Lose: Qualification → Lost')).toBe(1);
  });

  it('automatic transitions fire on the simulated clock: an escalation once per stay, a move after its hours, not after the record left', () => {
    const result = run(subjectOf(dealSales(100)), [
      created('D1', 0, { amount: 500 }),
      updated('D1', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }),
      // D1 waits in Proposal: the escalation fires at hour 49, once.
      updated('D1', 100, { amount: 500, stage: 'Proposal' }, { stage: 'Negotiation' }),
      // In Negotiation from hour 100: it expires at hour 340.
      created('D2', 0, { amount: 500 }),
      updated('D2', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }),
      updated('D2', 10, { amount: 500, stage: 'Proposal' }, { stage: 'Lost' }),
      // D2 left Proposal before 48 hours: no escalation.
    ]);
    expect(countOf(result, 'transitionOffered', 'Chase the owner: Proposal → Proposal')).toBe(1);
    expect(countOf(result, 'notification', 'The proposal waits')).toBe(1);
    expect(samplesOf(result, 'notification', 'The proposal waits')[0]).toMatchObject({ record: { id: 'D1' }, sourceEvent: 'blueprint.automatic', at: at(49) });
    expect(samplesOf(result, 'transitionOffered', 'Expire: Negotiation → Lost')).toEqual([expect.objectContaining({ record: { module: 'Deals', id: 'D1' }, at: at(340) })]);
  });

  it('where the draft moved the record itself (automatic), a later recorded move is judged from where the draft stands', () => {
    const result = run(subjectOf(dealSales(100)), [
      created('D1', 0, { amount: 500 }),
      updated('D1', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }),
      updated('D1', 2, { amount: 500, stage: 'Proposal' }, { stage: 'Negotiation' }),
      // The draft expires D1 at hour 242; the record was recorded winning at hour 300: Lost → Won is not a transition.
      updated('D1', 300, { amount: 500, stage: 'Negotiation' }, { stage: 'Won' }),
    ]);
    expect(countOf(result, 'transitionOffered', 'Expire: Negotiation → Lost')).toBe(1);
    expect(samplesOf(result, 'transitionBlocked', 'Lost → Won')[0]).toMatchObject({ reason: 'No transition of "Deal sales" from Lost to Won' });
  });

  it('a deleted record is forgotten: its timers do not fire', () => {
    const deleted = shadowChange({ event: 'record.deleted', at: at(5), module: 'Deals', recordId: 'D1' });
    const result = run(subjectOf(dealSales(100)), [created('D1', 0, { amount: 500 }), updated('D1', 1, { amount: 500, stage: 'Qualification' }, { stage: 'Proposal' }), deleted]);
    expect(countOf(result, 'transitionOffered', 'Chase the owner: Proposal → Proposal')).toBe(0);
  });

  it('other modules and other events are ignored', () => {
    const lead: ShadowChange = { ...created('L1', 0, { amount: 500 }), module: 'Leads' };
    const result = run(subjectOf(dealSales(100)), [lead, { ...created('D1', 1, { amount: 500 }), event: 'email.opened' }]);
    expect(result.counts).toEqual([]);
  });

  it('beside the published version: the side-by-side lists exactly the records whose outcome changes, and the cross-check reads blueprint.transitioned', () => {
    const changes = [
      created('D1', 0, { amount: 2_000 }),
      updated('D1', 1, { amount: 2_000, stage: 'Qualification' }, { stage: 'Proposal' }),
      transitioned('D1', 1, 'propose'),
      created('D2', 0, { amount: 700 }),
      updated('D2', 1, { amount: 700, stage: 'Qualification' }, { stage: 'Proposal' }),
      transitioned('D2', 1, 'propose'),
      created('D3', 0, { amount: 300 }),
      transitioned('D3', 1, 'propose', 'OTHER'),
    ];
    // Published: proposals from 500; the draft raises the bar to 1,000 — D2's move becomes blocked.
    const result = run(subjectOf(dealSales(1_000), 3), changes, subjectOf(dealSales(500), 2), 20);
    const comparison = result.comparison!;
    expect(comparison.moved).toEqual([{ record: { module: 'Deals', id: 'D2' }, from: { kind: 'transitionOffered', label: 'Propose: Qualification → Proposal' }, to: { kind: 'transitionBlocked', label: 'Qualification → Proposal' } }]);
    expect(comparison.removed).toEqual([{ record: { module: 'Deals', id: 'D2' }, outcome: { kind: 'task', label: 'Prepare the proposal' } }]);
    expect(comparison.added).toEqual([]);
    expect(comparison.recorded).toEqual({ checked: 2, mismatches: 0 });
  });

  it('the cross-check counts records whose recorded transitions the published replay does not make', () => {
    const changes = [created('D1', 0, { amount: 2_000 }), transitioned('D1', 1, 'propose')];
    const result = run(subjectOf(dealSales(1_000)), changes, subjectOf(dealSales(1_000)), 20);
    expect(result.comparison!.recorded).toEqual({ checked: 1, mismatches: 1 });
  });

  it('replaying in pages (state saved as JSON between them) gives the result of one pass', () => {
    const STAGES = ['Qualification', 'Proposal', 'Negotiation', 'Won', 'Lost'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 39 }),
        (steps, cut) => {
          const last: Record<string, Record<string, unknown>> = {};
          let hours = 0;
          const changes = steps.map(([record, stage, amount, gap]) => {
            hours += gap;
            const id = `D${record}`;
            const before = last[id];
            const next = { amount, stage: STAGES[stage] };
            last[id] = next;
            return before ? updated(id, hours, before, next) : created(id, hours, next);
          });
          const subject = subjectOf(dealSales(1_000));
          expect(replayedInPages(subject, changes, cut, at(hours + 500))).toEqual(run(subject, changes, undefined, hours + 500));
        },
      ),
      { numRuns: 150 },
    );
  });
});
