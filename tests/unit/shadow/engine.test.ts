import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGH_VALUE_DEAL_ALERT } from '../../../infra/local/seed-workflow-rules.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import type { ShadowChange } from '../../../shared/domain/shadow/change.js';
import type { ShadowSubject } from '../../../shared/domain/shadow/engine.js';
import type { WorkflowRule } from '../../../shared/domain/workflow/rule.js';
import { countOf, recordCreated, recordUpdated, replayed, replayedInPages, shadowChange, timeFrom } from '../../support/shadow-changes.js';

const at = timeFrom('2026-11-01T00:00:00.000Z', 60_000);
let minute = 0;
/** Each change a minute after the one before. */
const nextMinute = () => at((minute += 1));
const change = (over: Partial<ShadowChange> & Pick<ShadowChange, 'event' | 'module' | 'recordId'>): ShadowChange => shadowChange({ at: nextMinute(), ...over });
const ruleOf = (threshold: number, over: Partial<WorkflowRule> = {}): WorkflowRule => ({
  ...HIGH_VALUE_DEAL_ALERT,
  trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: threshold } },
  id: 'RULE1',
  version: 1,
  createdBy: 'u-admin',
  createdAt: at(0),
  updatedAt: at(0),
  ...over,
});
const deal = (id: string) => ({ at: nextMinute(), module: 'Deals', recordId: id, fields: { name: id } });
const dealCreated = (id: string, amount: number) => recordCreated(deal(id), { amount });
const dealUpdated = (id: string, from: number, to: number) => recordUpdated(deal(id), { amount: from }, { amount: to });

const run = (subject: ShadowSubject, changes: ShadowChange[], published?: ShadowSubject) => replayed(subject, changes, at(100_000), { published }).result;

describe('a workflow rule replayed (the live engine: decideRules)', () => {
  it('counts each action of each run, explains each record as the execution log does, and skips below the threshold', () => {
    const result = run({ kind: 'workflowRule', rule: ruleOf(1_000_000) }, [dealCreated('D1', 2_000_000), dealCreated('D2', 500_000), dealUpdated('D2', 500_000, 1_200_000), dealUpdated('D2', 1_200_000, 1_300_000)]);
    expect(countOf(result, 'task', 'Plan the high-value deal')).toBe(2);
    expect(result.counts.find((c) => c.kind === 'email')?.count).toBe(2);
    const sample = result.samples.find((s) => s.kind === 'task')!.items[0]!;
    expect(sample).toMatchObject({ sourceEvent: 'record.created', record: { module: 'Deals', id: 'D1' }, outcome: 'ran', actions: [{ index: 0, type: 'createTask', status: 'done', detail: 'Plan the high-value deal' }, { index: 1, type: 'sendEmail', status: 'done' }] });
    expect(result.comparison).toBeUndefined();
  });

  it('a changed threshold: the side-by-side lists exactly the records whose outcome changes', () => {
    const changes = [dealCreated('D1', 2_000_000), dealCreated('D2', 700_000), dealCreated('D3', 300_000), dealUpdated('D3', 300_000, 800_000)];
    const result = run({ kind: 'workflowRule', rule: ruleOf(600_000) }, changes, { kind: 'workflowRule', rule: ruleOf(1_000_000) });
    expect(result.comparison!.added.map((a) => a.record.id).sort()).toEqual(['D2', 'D2', 'D3', 'D3']);
    expect(result.comparison!.removed).toEqual([]);
    expect(countOf(result, 'task', 'Plan the high-value deal')).toBe(3);
  });

  it('criteria not met are counted as skipped with the execution log reason; the depth limit refuses', () => {
    const rule = ruleOf(1_000_000, { criteria: { all: [{ field: 'stage', op: 'eq', value: 'Proposal' }] } });
    const result = run({ kind: 'workflowRule', rule }, [dealCreated('D1', 2_000_000), { ...dealCreated('D2', 3_000_000), depth: 3 }]);
    expect(result.samples.map((s) => [s.kind, s.items[0]!.outcome, s.items[0]!.reason])).toEqual(
      expect.arrayContaining([
        ['skipped', 'criteria-not-met', 'The record does not meet the rule criteria'],
        ['skipped', 'refused', expect.stringContaining('Depth limit reached')],
      ]),
    );
  });

  it('a date trigger fires on the simulated clock, and not if the date moved before it', () => {
    const rule = ruleOf(0, { trigger: { type: 'dateReached', field: 'closingDate', offsetDays: -1, atUtc: '09:00' } });
    const created = (id: string, day: string) => recordCreated(deal(id), { closingDate: day });
    const moved = recordUpdated(deal('D2'), { closingDate: '2026-11-05' }, { closingDate: '2027-06-01' });
    const result = run({ kind: 'workflowRule', rule }, [created('D1', '2026-11-05'), created('D2', '2026-11-05'), moved]);
    expect(result.samples.find((s) => s.kind === 'task')!.items.map((i) => [i.record.id, i.sourceEvent, i.at])).toEqual([['D1', 'date.reached', '2026-11-04T09:00:00.000Z']]);
  });

  it('replaying in pages (state saved as JSON between them) gives the result of one pass', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3_000_000 })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 39 }), (steps, cut) => {
        minute = 0;
        const amounts = new Map<string, number>();
        const changes = steps.map(([d, amount]) => {
          const id = `D${d}`;
          const before = amounts.get(id);
          amounts.set(id, amount);
          return before === undefined ? dealCreated(id, amount) : dealUpdated(id, before, amount);
        });
        const subject: ShadowSubject = { kind: 'workflowRule', rule: ruleOf(1_000_000) };
        expect(replayedInPages(subject, changes, cut, at(1e6))).toEqual(replayed(subject, changes, at(1e6)).result);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a journey replayed (the live engine: startInstance, onEvent, onTimer)', () => {
  const def = JourneyDefinitionSchema.parse(TRAVEL_CUSTOMER_JOURNEY);
  const lead = (id: string, fields: Record<string, unknown>) => change({ event: 'record.created', module: 'Leads', recordId: id, fields: { lastName: id, ...fields } });
  const qualified = (id: string) => recordUpdated({ at: nextMinute(), module: 'Leads', recordId: id, fields: { lastName: id } }, { leadStatus: 'New' }, { leadStatus: 'Qualified' });

  it('enters on creation, moves on events and on its deadlines (simulated clock), with the live report and paths shapes', () => {
    const result = run({ kind: 'journey', journeyId: 'J1', definition: def }, [lead('L1', {}), lead('L2', {}), qualified('L1')]);
    expect(countOf(result, 'journeyEntered', 'Lead')).toBe(2);
    expect(countOf(result, 'journeyMove', 'Lead → Prospect')).toBe(1);
    // L2 stays in Lead past 14 days: the deadline fires when the clock reaches it.
    expect(countOf(result, 'journeyMove', 'Lead → Nurture')).toBe(1);
    expect(countOf(result, 'task', 'Contact the new lead')).toBe(2);
    expect(result.journey!.report).toMatchObject({ journeyId: 'J1', started: 2 });
    expect(result.journey!.report.states.find((s) => s.state === 'lead')).toMatchObject({ name: 'Lead', entered: 2, exited: 2 });
    expect(result.journey!.paths.paths.map((p) => p.states)).toEqual(expect.arrayContaining([['lead', 'prospect'], ['lead', 'nurture']]));
  });

  it('changed entry criteria: the side-by-side names exactly the leads that no longer enter', () => {
    const draft = { ...def, entry: { where: { all: [{ field: 'company', op: 'isNotEmpty' as const }] } } };
    const result = run({ kind: 'journey', journeyId: 'J1', definition: draft }, [lead('L1', { company: 'Acme' }), lead('L2', {})], { kind: 'journey', journeyId: 'J1', definition: def });
    expect(countOf(result, 'journeyEntered', 'Lead')).toBe(1);
    expect([...new Set(result.comparison!.removed.map((r) => r.record.id))]).toEqual(['L2']);
    expect(result.comparison!.added).toEqual([]);
  });

  it('a state that emails the customer and waits for their reply depends on the customer; a state left only by hand on a person', () => {
    const custom = JourneyDefinitionSchema.parse({
      name: 'J',
      modules: ['Leads'],
      initial: 'a',
      states: [{ id: 'a', name: 'A', onEnter: [{ type: 'sendEmail', to: 'customer', subject: 'Hi', text: 'Hi' }] }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }],
      transitions: [{ id: 't1', from: ['a'], to: 'b', trigger: { type: 'email', event: 'replied' } }, { id: 't2', from: ['b'], to: 'c', trigger: { type: 'manual' } }],
    });
    const result = run({ kind: 'journey', journeyId: 'J2', definition: custom }, [lead('L1', {})]);
    expect(result.limits).toEqual({ dependsOnPerson: 0, dependsOnCustomer: 1 });
  });
});
