import { describe, expect, it } from 'vitest';
import { BlueprintDefinitionSchema, validateBlueprint } from '../../../shared/domain/blueprint/index.js';
import { CadenceDefinitionSchema } from '../../../shared/domain/cadence/definition.js';
import { validateCadence } from '../../../shared/domain/cadence/validation.js';
import { CriteriaSchema, validateCriteria, type Criteria } from '../../../shared/domain/criteria/index.js';
import { toFieldErrors } from '../../../shared/http/validation.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { validateJourneyDefinition } from '../../../shared/domain/journey/engine.js';
import { KioskDefinitionSchema } from '../../../shared/domain/kiosk/definition.js';
import { validateKioskDefinition } from '../../../shared/domain/kiosk/validate.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { AssignmentRulesSchema, validateAssignmentRules } from '../../../shared/domain/teams/assignment.js';
import { WizardDefinitionSchema } from '../../../shared/domain/wizard/definition.js';
import { validateWizardDefinition } from '../../../shared/domain/wizard/validate.js';
import { validateRule, WorkflowRuleDefinitionSchema } from '../../../shared/domain/workflow/index.js';

const leads = standardModule('Leads')!;
const fields = [
  { name: 'name', type: 'text' },
  { name: 'amount', type: 'currency' },
  { name: 'stage', type: 'picklist', options: ['Open', 'Won'] },
  { name: 'tags', type: 'multiselect', options: ['vip', 'gold'] },
  { name: 'closingDate', type: 'date' },
  { name: 'createdAt', type: 'datetime' },
  { name: 'vip', type: 'boolean' },
  { name: 'ownerId', type: 'user' },
];

describe('validateCriteria: against the fields the criteria may read', () => {
  it.each<[string, Criteria, string[]]>([
    ['valid on every type', { all: [{ field: 'name', op: 'contains', value: 'x' }, { field: 'amount', op: 'gte', value: 10.5 }, { field: 'stage', op: 'in', value: ['Open'] }, { field: 'tags', op: 'contains', value: 'vip' }, { field: 'closingDate', op: 'withinNextDays', value: 7 }, { field: 'createdAt', op: 'gt', value: '2026-01-01' }, { field: 'vip', op: 'eq', value: true }, { field: 'ownerId', op: 'isNotEmpty' }] }, []],
    ['an unknown field', { all: [{ field: 'colour', op: 'isEmpty' }] }, ['criteria.all.0.field']],
    ['an operator the type does not take', { any: [{ field: 'stage', op: 'gt', value: 3 }, { field: 'vip', op: 'in', value: [true] }, { field: 'amount', op: 'contains', value: '1' }, { field: 'name', op: 'withinLastDays', value: 3 }] }, ['criteria.any.0.op', 'criteria.any.1.op', 'criteria.any.2.op', 'criteria.any.3.op']],
    ['values of the wrong type', { all: [{ field: 'amount', op: 'eq', value: 'big' }, { field: 'stage', op: 'eq', value: 'Lost' }, { field: 'closingDate', op: 'lt', value: '2026-01-01T00:00:00Z' }, { field: 'vip', op: 'eq', value: 'yes' }, { field: 'name', op: 'eq', value: 3 }] }, ['criteria.all.0.value', 'criteria.all.1.value', 'criteria.all.2.value', 'criteria.all.3.value', 'criteria.all.4.value']],
    ['a list value at its index, in a nested group', { all: [{ any: [{ field: 'tags', op: 'in', value: ['vip', 'silver'] }] }] }, ['criteria.all.0.any.0.value.1']],
    ['a currency value with more than 2 decimals', { all: [{ field: 'amount', op: 'eq', value: 1.005 }] }, ['criteria.all.0.value']],
  ])('%s', (_name, criteria, paths) => {
    expect(validateCriteria(criteria, fields, 'criteria').map((e) => e.path)).toEqual(paths);
  });
});

/** The same mistake (an unknown field, third condition) is reported at the same place in every kind of definition. */
describe('errors at the same paths for every kind of definition', () => {
  const three: Criteria = { all: [{ field: 'email', op: 'isNotEmpty' }, { field: 'leadStatus', op: 'eq', value: 'New' }, { field: 'colour', op: 'eq', value: 'red' }] };
  const modules = (name: string) => (name === 'Leads' ? leads : standardModule(name));
  const pathsOf = (errors: Array<{ path: string }>) => errors.map((e) => e.path).filter((p) => p.endsWith('all.2.field'));

  it('blueprints', () => {
    const def = BlueprintDefinitionSchema.parse({ name: 'B', module: 'Leads', field: 'leadStatus', states: ['New', 'Contacted'], initialState: 'New', entryCriteria: three, transitions: [{ id: 't', name: 'T', from: 'New', to: 'Contacted', before: { who: [{ kind: 'owner' }], criteria: three } }] });
    expect(pathsOf(validateBlueprint(def, leads, { userIds: new Set(), teamIds: new Set() }))).toEqual(['entryCriteria.all.2.field', 'transitions.0.before.criteria.all.2.field']);
  });
  it('workflow rules', () => {
    const def = WorkflowRuleDefinitionSchema.parse({ name: 'W', module: 'Leads', trigger: { type: 'created' }, criteria: three, actions: [{ type: 'createTask', subject: 's', assignee: { kind: 'owner' } }] });
    expect(pathsOf(validateRule(def, leads, {}).issues)).toEqual(['criteria.all.2.field']);
  });
  it('cadences', () => {
    const def = CadenceDefinitionSchema.parse({ name: 'C', module: 'Leads', sender: { name: 'S' }, steps: [{ id: 'a', type: 'task', subject: 's' }], enrollment: { criteria: three }, unenrollment: { criteria: three } });
    expect(pathsOf(validateCadence(def, leads))).toEqual(['enrollment.criteria.all.2.field', 'unenrollment.criteria.all.2.field']);
  });
  it('journeys', () => {
    const def = JourneyDefinitionSchema.parse({ name: 'J', modules: ['Leads'], initial: 'a', states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], entry: { where: three }, transitions: [{ id: 't', from: ['a'], to: 'b', trigger: { type: 'recordCreated', module: 'Leads', where: three } }] });
    expect(pathsOf(validateJourneyDefinition(def, modules, 'JP'))).toEqual(['entry.where.all.2.field', 'transitions.0.trigger.where.all.2.field']);
  });
  it('wizards', () => {
    const def = WizardDefinitionSchema.parse({ name: 'W', module: 'Leads', screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'email' }, { field: 'leadStatus' }] }, { id: 'two', title: 'Two', fields: [{ field: 'company' }] }], rules: [{ when: three, then: [{ action: 'skipScreen', screen: 'two' }] }] });
    expect(pathsOf(validateWizardDefinition(def, leads, 'JP'))).toEqual(['rules.0.when.all.2.field']);
  });
  it('kiosks (a condition reads a reference)', () => {
    const when: Criteria = { all: [{ field: 'values.phone', op: 'isNotEmpty' }, { field: 'values.phone', op: 'contains', value: '+81' }, { field: 'values.colour', op: 'eq', value: 'red' }] };
    const def = KioskDefinitionSchema.parse({
      name: 'K', runners: { orgRoles: ['member'] }, start: 'ask',
      nodes: [
        { kind: 'screen', id: 'ask', title: 'Ask', components: [{ kind: 'input', id: 'phone', type: 'phone', label: 'Phone' }], next: 'd' },
        { kind: 'decision', id: 'd', branches: [{ when, next: 'e' }], otherwise: 'e' },
        { kind: 'end', id: 'e' },
      ],
    });
    expect(pathsOf(validateKioskDefinition(def, modules))).toEqual(['nodes.1.branches.0.when.all.2.field']);
  });
  it('team assignment rules', () => {
    const rules = AssignmentRulesSchema.parse({ criteria: [{ when: three, assignTo: 'u-a' }] });
    expect(pathsOf(validateAssignmentRules(rules, leads, ['u-a']))).toEqual(['criteria.0.when.all.2.field']);
  });
});

describe('shape errors on write are reported at the condition, as the API answers them', () => {
  const errorsOf = (criteria: unknown) => {
    const parsed = CriteriaSchema.safeParse(criteria);
    return parsed.success ? [] : toFieldErrors(parsed.error, 'criteria').map((e) => e.path);
  };
  it.each<[string, unknown, string[]]>([
    ['an old operator spelling', { all: [{ field: 'email', op: 'isSet' }] }, ['criteria.all.0.op']],
    ['a missing value, nested', { any: [{ all: [{ field: 'amount', op: 'gt' }] }] }, ['criteria.any.0.all.0.value']],
    ['an empty in list', { all: [{ field: 'stage', op: 'in', value: [] }] }, ['criteria.all.0.value']],
    ['an old list shape', [{ field: 'email', op: 'isNotEmpty' }], ['criteria']],
    ['both all and any in one group', { all: [], any: [{ field: 'a', op: 'isEmpty' }] }, ['criteria']],
  ])('%s', (_name, criteria, paths) => {
    expect(errorsOf(criteria)).toEqual(paths);
  });
});
