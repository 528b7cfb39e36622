import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateTriggerWakeAt,
  decideRules,
  MAX_RULE_DEPTH,
  triggerMatches,
  WorkflowRuleDefinitionSchema,
  type RuleEvent,
  type Trigger,
  type WorkflowRule,
} from '../../../shared/domain/workflow/index.js';

const fields = { name: 'Retreat', amount: 2_000_000, stage: 'Proposal', tags: ['vip', 'travel'], closingDate: '2026-06-30', note: '' };

const event = (over: Partial<RuleEvent> = {}): RuleEvent => ({ name: 'record.updated', module: 'Deals', fields, changes: [{ field: 'amount', old: 500_000, new: 2_000_000 }], depth: 0, at: new Date('2026-06-01T00:00:00Z'), ...over });
const rule = (trigger: unknown, over: Partial<WorkflowRule> = {}): WorkflowRule => ({
  ...WorkflowRuleDefinitionSchema.parse({ name: 'r', module: 'Deals', trigger, actions: [{ type: 'createTask', subject: 's', assignee: { kind: 'owner' } }] }),
  id: 'R1', version: 1, createdBy: 'u-admin', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const becomesBig = { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: 1_000_000 } };

describe('triggers', () => {
  it.each<[string, unknown, Partial<RuleEvent>, boolean]>([
    ['created on create', { type: 'created' }, { name: 'record.created' }, true],
    ['created on update', { type: 'created' }, {}, false],
    ['edited on any edit', { type: 'edited' }, {}, true],
    ['edited on a listed field', { type: 'edited', fields: ['amount'] }, {}, true],
    ['edited on another field', { type: 'edited', fields: ['stage'] }, {}, false],
    ['fieldChanged without `to`', { type: 'fieldChanged', field: 'amount' }, {}, true],
    ['fieldChanged, another field changed', { type: 'fieldChanged', field: 'stage' }, {}, false],
    ['becomes ≥ 1M from below', becomesBig, {}, true],
    ['stays ≥ 1M', becomesBig, { changes: [{ field: 'amount', old: 1_500_000, new: 2_000_000 }] }, false],
    ['becomes ≥ 1M from empty', becomesBig, { changes: [{ field: 'amount', old: null, new: 2_000_000 }] }, true],
    ['created ≥ 1M', becomesBig, { name: 'record.created', changes: [{ field: 'amount', old: null, new: 2_000_000 }] }, true],
    ['drops below 1M', becomesBig, { fields: { ...fields, amount: 10 }, changes: [{ field: 'amount', old: 2_000_000, new: 10 }] }, false],
    ['a date trigger on a record event', { type: 'dateReached', field: 'closingDate' }, {}, false],
    ['a date trigger on its timer', { type: 'dateReached', field: 'closingDate' }, { name: 'date.reached' }, true],
    ['a process event by name', { type: 'event', event: 'approval.decided' }, { name: 'approval.decided' }, true],
    ['another process event', { type: 'event', event: 'approval.decided' }, { name: 'blueprint.transitioned' }, false],
  ])('%s', (_w, trigger, over, expected) => {
    expect(triggerMatches(rule(trigger).trigger, event(over))).toBe(expected);
  });
});

describe('decideRules', () => {
  it('leaves out inactive rules, other modules and unmatched triggers; skips unmet criteria; runs the rest', () => {
    const rules = [
      rule(becomesBig, { id: 'run' }),
      rule(becomesBig, { id: 'inactive', active: false }),
      rule(becomesBig, { id: 'other', module: 'Leads' }),
      rule({ type: 'created' }, { id: 'unmatched' }),
      rule(becomesBig, { id: 'criteria', criteria: { all: [{ field: 'stage', op: 'eq', value: 'Closed Won' }] } }),
    ];
    expect(decideRules(rules, event()).map((d) => [d.rule.id, d.outcome])).toEqual([
      ['run', 'run'],
      ['criteria', 'criteria-not-met'],
    ]);
  });

  it(`refuses at depth ${MAX_RULE_DEPTH} with the reason, runs below`, () => {
    expect(decideRules([rule(becomesBig)], event({ depth: MAX_RULE_DEPTH - 1 }))[0]?.outcome).toBe('run');
    const refused = decideRules([rule(becomesBig)], event({ depth: MAX_RULE_DEPTH }))[0];
    expect(refused).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/Depth limit/) });
  });

  it('property: two rules that re-trigger each other run at most MAX_RULE_DEPTH times in all', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (maxDepth) => {
        const a = rule({ type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Proposal' } }, { id: 'A' });
        const b = rule({ type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Negotiation' } }, { id: 'B' });
        let stage = 'Proposal';
        let depth = 0;
        let runs = 0;
        for (let step = 0; step < 50; step++) {
          const decision = decideRules([a, b], event({ fields: { ...fields, stage }, changes: [{ field: 'stage', old: stage === 'Proposal' ? 'Negotiation' : 'Proposal', new: stage }], depth }), maxDepth)[0];
          if (decision?.outcome !== 'run') break;
          runs++;
          stage = stage === 'Proposal' ? 'Negotiation' : 'Proposal';
          depth++;
        }
        expect(runs).toBe(maxDepth);
      }),
    );
  });
});

describe('date triggers', () => {
  const t = (offsetDays: number, atUtc = '09:00') => rule({ type: 'dateReached', field: 'closingDate', offsetDays, atUtc }).trigger as Extract<Trigger, { type: 'dateReached' }>;
  it.each<[number, string, unknown, string | undefined]>([
    [0, '09:00', '2026-06-30', '2026-06-30T09:00:00Z'],
    [-3, '09:00', '2026-06-30', '2026-06-27T09:00:00Z'],
    [2, '23:30', '2026-12-31', '2027-01-02T23:30:00Z'],
    [0, '09:00', '2026-06-30T15:00:00.000Z', '2026-06-30T09:00:00Z'],
    [0, '09:00', '', undefined],
    [0, '09:00', 'soon', undefined],
    [0, '09:00', 42, undefined],
  ])('offset %i at %s for %j → %s', (offset, at, value, expected) => {
    expect(dateTriggerWakeAt(t(offset, at), value)).toBe(expected);
  });
});
