import { describe, expect, it } from 'vitest';
import { validateRule, WorkflowRuleDefinitionSchema } from '../../../shared/domain/workflow/index.js';
import { STANDARD_MODULES, standardModule } from '../../../shared/domain/records/standard-modules.js';

const deals = standardModule('Deals')!;
const modules = Object.fromEntries(STANDARD_MODULES.map((m) => [m.name, m]));
const base = { name: 'r', module: 'Deals', trigger: { type: 'created' }, actions: [{ type: 'createTask', subject: 's', assignee: { kind: 'owner' } }] };
const issues = (over: Record<string, unknown>) => validateRule(WorkflowRuleDefinitionSchema.parse({ ...base, ...over }), deals, modules).issues.map((i) => i.path);

describe('validateRule', () => {
  it('accepts well-formed rules', () => {
    expect(issues({ trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: 1_000_000 } } })).toEqual([]);
    expect(issues({ trigger: { type: 'dateReached', field: 'closingDate', offsetDays: -7 }, criteria: { all: [{ field: 'stage', op: 'in', value: ['Proposal', 'Negotiation'] }] } })).toEqual([]);
    expect(issues({ trigger: { type: 'edited', fields: ['stage', 'amount'] }, criteria: { any: [{ field: 'name', op: 'contains', value: 'x' }, { field: 'industry', op: 'isEmpty' }] } })).toEqual([]);
  });

  it.each([
    [{ trigger: { type: 'edited', fields: ['amount', 'colour'] } }, 'trigger.fields.1'],
    [{ trigger: { type: 'fieldChanged', field: 'colour' } }, 'trigger.field'],
    [{ trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'eq', value: 'big' } } }, 'trigger.to.value'],
    [{ trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'in', value: ['Proposal', 'Won?'] } } }, 'trigger.to.value.1'],
    [{ trigger: { type: 'dateReached', field: 'stage' } }, 'trigger.field'],
    [{ criteria: { all: [{ field: 'colour', op: 'isEmpty' }] } }, 'criteria.all.0.field'],
    [{ criteria: { any: [{ field: 'stage', op: 'gt', value: 3 }] } }, 'criteria.any.0.op'],
    [{ criteria: { all: [{ field: 'amount', op: 'contains', value: '1' }] } }, 'criteria.all.0.op'],
    [{ criteria: { all: [{ field: 'closingDate', op: 'eq', value: 'tomorrow' }] } }, 'criteria.all.0.value'],
    [{ actions: [{ type: 'updateFields', fields: { discountPercent: 150 } }] }, 'actions.0.fields.discountPercent'],
  ])('%j → %s', (over, path) => {
    expect(issues(over)).toContain(path);
  });

  it.each([
    [{ trigger: { type: 'dateReached', field: 'closingDate', offsetDays: 400 } }],
    [{ trigger: { type: 'dateReached', field: 'closingDate', atUtc: '25:00' } }],
    [{ trigger: { type: 'event', event: 'record.deleted' } }],
    [{ name: '' }],
    [{ module: 'deals' }],
    [{ extra: true }],
  ])('the schema refuses %j', (over) => {
    expect(WorkflowRuleDefinitionSchema.safeParse({ ...base, ...over }).success).toBe(false);
  });
});
