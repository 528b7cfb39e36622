import { describe, expect, it } from 'vitest';
import { CadenceDefinitionSchema, upgradeCadenceDefinition, type CadenceDefinition } from '../../../shared/domain/cadence/definition.js';
import { CriteriaSchema, upgradeCriteria } from '../../../shared/domain/criteria/index.js';
import { JourneyDefinitionSchema, upgradeJourneyDefinition, type JourneyDefinition } from '../../../shared/domain/journey/definition.js';
import { KioskDefinitionSchema, upgradeKioskDefinition, type KioskDefinition } from '../../../shared/domain/kiosk/definition.js';
import { upgradeProcessDefinition } from '../../../shared/domain/process/upgrade.js';
import { BlueprintDefinitionSchema } from '../../../shared/domain/blueprint/definition.js';
import { ApprovalProcessDefinitionSchema } from '../../../shared/domain/approval/definition.js';
import { ReviewProcessDefinitionSchema } from '../../../shared/domain/review/definition.js';
import { AssignmentRulesSchema, upgradeAssignmentRules, type AssignmentRules } from '../../../shared/domain/teams/assignment.js';
import { WizardDefinitionSchema, upgradeWizardDefinition, type WizardDefinition } from '../../../shared/domain/wizard/definition.js';
import { upgradeWorkflowRule, WorkflowRuleDefinitionSchema, type WorkflowRuleDefinition } from '../../../shared/domain/workflow/rule.js';

describe('upgradeCriteria: every stored dialect in today’s language', () => {
  it.each<[string, unknown, unknown]>([
    // blueprint, approval and review criteria (a list)
    ['process eq', [{ field: 'kind', op: 'eq', value: 'Trip' }], { all: [{ field: 'kind', op: 'eq', value: 'Trip' }] }],
    ['process ne/gt/gte/lt/lte', [{ field: 'n', op: 'ne', value: 1 }, { field: 'n', op: 'gt', value: 1 }, { field: 'n', op: 'gte', value: 1 }, { field: 'd', op: 'lt', value: '2026-01-01' }, { field: 'n', op: 'lte', value: 2 }], { all: [{ field: 'n', op: 'ne', value: 1 }, { field: 'n', op: 'gt', value: 1 }, { field: 'n', op: 'gte', value: 1 }, { field: 'd', op: 'lt', value: '2026-01-01' }, { field: 'n', op: 'lte', value: 2 }] }],
    ['process in', [{ field: 's', op: 'in', value: ['a', 'b'] }], { all: [{ field: 's', op: 'in', value: ['a', 'b'] }] }],
    ['process empty / notEmpty', [{ field: 's', op: 'empty' }, { field: 't', op: 'notEmpty' }], { all: [{ field: 's', op: 'isEmpty' }, { field: 't', op: 'isNotEmpty' }] }],
    ['process empty list', [], { all: [] }],
    // workflow rules ({ all, any })
    ['workflow all + any', { all: [{ field: 'stage', op: 'eq', value: 'Won' }], any: [{ field: 'name', op: 'contains', value: 'x' }, { field: 'n', op: 'isNotEmpty' }] }, { all: [{ field: 'stage', op: 'eq', value: 'Won' }, { any: [{ field: 'name', op: 'contains', value: 'x' }, { field: 'n', op: 'isNotEmpty' }] }] }],
    ['workflow all only', { all: [{ field: 'n', op: 'isEmpty' }] }, { all: [{ field: 'n', op: 'isEmpty' }] }],
    ['workflow any only', { any: [{ field: 'n', op: 'in', value: [1, 2] }] }, { any: [{ field: 'n', op: 'in', value: [1, 2] }] }],
    ['workflow empty object', {}, { all: [] }],
    // cadences (a list; equals notEquals in isSet isEmpty)
    ['cadence equals / notEquals', [{ field: 's', op: 'equals', value: 'Q' }, { field: 's', op: 'notEquals', value: 'X' }], { all: [{ field: 's', op: 'eq', value: 'Q' }, { field: 's', op: 'ne', value: 'X' }] }],
    ['cadence in / isSet / isEmpty', [{ field: 's', op: 'in', value: ['a'] }, { field: 'e', op: 'isSet' }, { field: 'f', op: 'isEmpty' }], { all: [{ field: 's', op: 'in', value: ['a'] }, { field: 'e', op: 'isNotEmpty' }, { field: 'f', op: 'isEmpty' }] }],
    // journeys' where and team assignment rules ({ field, equals })
    ['journey where', [{ field: 'priority', equals: 'High' }, { field: 'vip', equals: true }], { all: [{ field: 'priority', op: 'eq', value: 'High' }, { field: 'vip', op: 'eq', value: true }] }],
    ['assignment criterion', { field: 'kind', equals: 'Visa' }, { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }],
    // wizards
    ['wizard equals', { field: 'leadSource', equals: 'Web' }, { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }],
    ['wizard in', { field: 'leadSource', in: ['Web', 3] }, { all: [{ field: 'leadSource', op: 'in', value: ['Web', 3] }] }],
    ['wizard filled', { field: 'company', filled: true }, { all: [{ field: 'company', op: 'isNotEmpty' }] }],
    ['wizard not filled', { field: 'company', filled: false }, { all: [{ field: 'company', op: 'isEmpty' }] }],
    // kiosks
    ['kiosk equals', { ref: 'results.find.count', equals: 0 }, { all: [{ field: 'results.find.count', op: 'eq', value: 0 }] }],
    ['kiosk equals null', { ref: 'values.note', equals: null }, { all: [{ field: 'values.note', op: 'isEmpty' }] }],
    ['kiosk filled', { ref: 'values.email', filled: true }, { all: [{ field: 'values.email', op: 'isNotEmpty' }] }],
    ['kiosk gt / lt', { ref: 'results.find.count', gt: 1 }, { all: [{ field: 'results.find.count', op: 'gt', value: 1 }] }],
    ['kiosk lt', { ref: 'results.find.count', lt: 5 }, { all: [{ field: 'results.find.count', op: 'lt', value: 5 }] }],
    // today's shape comes back equal
    ['today', { any: [{ all: [{ field: 'a', op: 'withinLastDays', value: 7 }] }, { field: 'b', op: 'notIn', value: ['x'] }] }, { any: [{ all: [{ field: 'a', op: 'withinLastDays', value: 7 }] }, { field: 'b', op: 'notIn', value: ['x'] }] }],
  ])('%s', (_name, old, expected) => {
    const upgraded = upgradeCriteria(old);
    expect(upgraded).toEqual(expected);
    expect(CriteriaSchema.parse(upgraded)).toEqual(expected);
    expect(upgradeCriteria(upgraded)).toEqual(upgraded);
  });

  it('absent stays absent', () => {
    expect(upgradeCriteria(undefined)).toBeUndefined();
  });
});

/** A stored definition of each kind in its old shape upgrades to one that today's schema accepts. */
describe('stored definitions of every kind load in today’s shape', () => {
  it('blueprints: entry criteria and each transition’s criteria', () => {
    const old = {
      name: 'B', module: 'Deals', field: 'stage', states: ['A', 'B'], initialState: 'A',
      entryCriteria: [{ field: 'amount', op: 'gt', value: 10 }],
      transitions: [{ id: 't', name: 'T', from: 'A', to: 'B', before: { who: [{ kind: 'user', userId: 'u-a' }], criteria: [{ field: 'note', op: 'notEmpty' }] } }],
    };
    const def = BlueprintDefinitionSchema.parse(upgradeProcessDefinition('blueprint', old));
    expect(def.entryCriteria).toEqual({ all: [{ field: 'amount', op: 'gt', value: 10 }] });
    expect(def.transitions[0]!.before.criteria).toEqual({ all: [{ field: 'note', op: 'isNotEmpty' }] });
  });

  it('approval and review processes: entry criteria', () => {
    const approval = { name: 'A', module: 'Deals', criteria: [{ field: 'discount', op: 'gt', value: 10 }], levels: [{ approvers: [{ kind: 'user', userId: 'u-a' }], rule: 'anyone' }] };
    expect(ApprovalProcessDefinitionSchema.parse(upgradeProcessDefinition('approval-process', approval)).criteria).toEqual({ all: [{ field: 'discount', op: 'gt', value: 10 }] });
    const review = { name: 'R', module: 'Deals', criteria: [{ field: 'x', op: 'empty' }], reviewers: [{ kind: 'user', userId: 'u-a' }] };
    const upgraded = upgradeProcessDefinition('review-process', review) as { criteria: unknown };
    expect(upgraded.criteria).toEqual({ all: [{ field: 'x', op: 'isEmpty' }] });
    expect(ReviewProcessDefinitionSchema.shape.criteria.parse(upgraded.criteria)).toEqual(upgraded.criteria);
  });

  it('workflow rules: { all, any }', () => {
    const old = { name: 'W', module: 'Deals', trigger: { type: 'created' }, criteria: { all: [{ field: 'a', op: 'eq', value: 1 }], any: [{ field: 'b', op: 'isEmpty' }] }, actions: [{ type: 'createTask', subject: 's', assignee: { kind: 'owner' } }] };
    const rule = WorkflowRuleDefinitionSchema.parse(upgradeWorkflowRule(old as unknown as WorkflowRuleDefinition));
    expect(rule.criteria).toEqual({ all: [{ field: 'a', op: 'eq', value: 1 }, { any: [{ field: 'b', op: 'isEmpty' }] }] });
  });

  it('cadences: enrollment and unenrollment lists', () => {
    const old = {
      name: 'C', module: 'Leads', sender: { name: 'S' }, steps: [{ id: 'a', type: 'task', subject: 's' }],
      enrollment: { trigger: 'onCreate', criteria: [{ field: 'email', op: 'isSet' }] },
      unenrollment: { criteria: [{ field: 'leadStatus', op: 'equals', value: 'Qualified' }], onReply: true, onBounce: true },
    };
    const def = CadenceDefinitionSchema.parse(upgradeCadenceDefinition(old as unknown as CadenceDefinition));
    expect(def.enrollment.criteria).toEqual({ all: [{ field: 'email', op: 'isNotEmpty' }] });
    expect(def.unenrollment.criteria).toEqual({ all: [{ field: 'leadStatus', op: 'eq', value: 'Qualified' }] });
  });

  it('journeys: entry where and trigger where', () => {
    const old = {
      name: 'J', modules: ['Leads', 'Cases'], initial: 'lead',
      states: [{ id: 'lead', name: 'Lead' }, { id: 'urgent', name: 'Urgent' }],
      entry: { where: [{ field: 'leadSource', equals: 'Web' }] },
      transitions: [{ id: 'u', from: ['lead'], to: 'urgent', trigger: { type: 'recordCreated', module: 'Cases', where: [{ field: 'priority', equals: 'High' }] } }],
    };
    const def = JourneyDefinitionSchema.parse(upgradeJourneyDefinition(old as unknown as JourneyDefinition));
    expect(def.entry.where).toEqual({ all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] });
    expect(def.transitions[0]!.trigger).toMatchObject({ where: { all: [{ field: 'priority', op: 'eq', value: 'High' }] } });
  });

  it('wizards: rule conditions', () => {
    const old = {
      name: 'W', module: 'Leads',
      screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'leadSource' }] }, { id: 'two', title: 'Two', fields: [{ field: 'company' }] }],
      rules: [{ when: { field: 'leadSource', in: ['Web'] }, then: [{ action: 'skipScreen', screen: 'two' }] }, { when: { field: 'lastName', filled: true }, then: [{ action: 'show', field: 'company' }] }],
    };
    const def = WizardDefinitionSchema.parse(upgradeWizardDefinition(old as unknown as WizardDefinition));
    expect(def.rules.map((r) => r.when)).toEqual([{ all: [{ field: 'leadSource', op: 'in', value: ['Web'] }] }, { all: [{ field: 'lastName', op: 'isNotEmpty' }] }]);
  });

  it('kiosks: decision branches', () => {
    const old = {
      name: 'K', runners: { orgRoles: ['member'] }, start: 'd',
      nodes: [
        { kind: 'decision', id: 'd', branches: [{ when: { ref: 'values.x', equals: null }, next: 'e' }, { when: { ref: 'values.x', gt: 3 }, next: 'e' }], otherwise: 'e' },
        { kind: 'end', id: 'e' },
      ],
    };
    const upgraded = upgradeKioskDefinition(old as unknown as KioskDefinition);
    const decision = upgraded.nodes[0] as Extract<KioskDefinition['nodes'][number], { kind: 'decision' }>;
    expect(decision.branches.map((b) => b.when)).toEqual([{ all: [{ field: 'values.x', op: 'isEmpty' }] }, { all: [{ field: 'values.x', op: 'gt', value: 3 }] }]);
    expect(KioskDefinitionSchema.safeParse(upgraded).success).toBe(true);
  });

  it('team assignment rules: { field, equals, assignTo }', () => {
    const old = { criteria: [{ field: 'kind', equals: 'Visa', assignTo: 'u-visa' }], otherwise: { kind: 'none' } };
    const rules = AssignmentRulesSchema.parse(upgradeAssignmentRules(old as unknown as AssignmentRules));
    expect(rules.criteria).toEqual([{ when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-visa' }]);
  });
});
