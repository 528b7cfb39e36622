import { describe, expect, it } from 'vitest';
import { ActionListSchema, validateActions } from '../../../shared/domain/actions/index.js';
import { STANDARD_MODULES, standardModule } from '../../../shared/domain/records/standard-modules.js';

const deals = standardModule('Deals')!;
const modules = Object.fromEntries(STANDARD_MODULES.map((m) => [m.name, m]));
const check = (actions: unknown[]) => validateActions(ActionListSchema.parse(actions), deals, modules);

describe('validateActions (at save)', () => {
  it('accepts the High-value deal alert', () => {
    expect(
      check([
        { type: 'createTask', subject: 'Plan the high-value deal {{name}}', assignee: { kind: 'owner' }, dueInDays: 1 },
        { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 'High-value deal: {{name}}', text: '{{owner.name}}: {{amount}}' } },
      ]),
    ).toEqual({ issues: [], userRefs: [] });
  });

  it.each([
    ['an unknown field', [{ type: 'updateFields', fields: { colour: 'red' } }], 'actions.0.fields.colour'],
    ['a value of the wrong type', [{ type: 'updateFields', fields: { amount: 'lots' } }], 'actions.0.fields.amount'],
    ['a value outside the picklist', [{ type: 'updateFields', fields: { stage: 'Won?' } }], 'actions.0.fields.stage'],
    ['an unknown merge field', [{ type: 'createTask', subject: 'Plan {{colour}}', assignee: { kind: 'owner' } }], 'actions.0.subject'],
    ['a recipient field that is not an email or user', [{ type: 'sendEmail', to: { kind: 'field', field: 'amount' }, template: { subject: 's', text: 't' } }], 'actions.0.to.field'],
    ['associate on a non-lookup', [{ type: 'associate', field: 'name', recordId: 'A1' }], 'actions.0.field'],
    ['an unknown module', [{ type: 'createRecord', module: 'Nope', fields: {} }], 'actions.0.module'],
    ['a missing required field of a created record', [{ type: 'createRecord', module: 'Cases', fields: { status: 'Open' } }], 'actions.0.fields.subject'],
    ['a from-field that does not exist', [{ type: 'createRecord', module: 'Cases', fields: { subject: { from: 'nope' } } }], 'actions.0.fields.subject.from'],
    ['a relate field that is not a lookup to the module', [{ type: 'createRecord', module: 'Cases', fields: { subject: 'x' }, relate: { field: 'contactId' } }], 'actions.0.relate.field'],
  ])('refuses %s with its path', (_w, actions, path) => {
    expect(check(actions).issues.map((i) => i.path)).toContain(path);
  });

  it('reports named users for the edge to check', () => {
    expect(check([{ type: 'notify', to: { kind: 'user', userId: 'u-ghost' }, message: 'm' }]).userRefs).toEqual([{ path: 'actions.0.to.userId', userId: 'u-ghost' }]);
  });
});
