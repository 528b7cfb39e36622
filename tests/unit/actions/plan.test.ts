import { describe, expect, it } from 'vitest';
import { actionSchema, ActionListSchema, needsManager, planActions, usersToLoad, type Action, type ActionContext } from '../../../shared/domain/actions/index.js';

const now = new Date('2026-05-01T09:00:00.000Z');
const ctx = (over: Partial<ActionContext> = {}): ActionContext => ({
  record: { id: 'D1', module: 'Deals', ownerId: 'u-agent', fields: { name: 'Big <Deal>', amount: 2_000_000, reviewer: 'u-ops', contactEmail: 'buyer@example.jp' } },
  fieldTypes: { name: 'text', amount: 'currency', reviewer: 'user', contactEmail: 'email' },
  users: {
    'u-agent': { id: 'u-agent', email: 'u-agent@keiro.example', name: 'Agent', managerId: 'u-manager' },
    'u-manager': { id: 'u-manager', email: 'u-manager@keiro.example', name: 'Manager' },
    'u-ops': { id: 'u-ops', email: 'u-ops@keiro.example', name: 'Ops' },
    'u-noemail': { id: 'u-noemail', name: 'No Email' },
  },
  now,
  ...over,
});
const plan = (action: unknown, c = ctx()) => planActions([actionSchema.parse(action)], c)[0];

describe('planActions', () => {
  it('createTask for the owner, due in a day, related to the record', () => {
    expect(plan({ type: 'createTask', subject: 'Plan {{name}}', assignee: { kind: 'owner' }, dueInDays: 1 })).toEqual({
      type: 'createTask',
      index: 0,
      module: 'Tasks',
      once: true,
      ownerId: 'u-agent',
      fields: { subject: 'Plan Big <Deal>', status: 'Open', assigneeId: 'u-agent', relatedModule: 'Deals', relatedId: 'D1', dueDate: '2026-05-02' },
    });
  });

  it.each([
    ['owner', { kind: 'owner' }, 'u-agent'],
    ['manager', { kind: 'manager' }, 'u-manager'],
    ['a named user', { kind: 'user', userId: 'u-ops' }, 'u-ops'],
    ['a role', { kind: 'role', role: 'admin' }, 'u-admin'],
    ['the submitter', { kind: 'submitter' }, 'u-ops'],
  ])('assigns a task to the %s', (_w, assignee, expected) => {
    const p = plan({ type: 'createTask', subject: 'x', assignee }, ctx({ submitterId: 'u-ops', roleMembers: { admin: ['u-admin'] } }));
    expect(p).toMatchObject({ type: 'createTask', ownerId: expected });
  });

  it.each([
    ['owner', { kind: 'owner' }, 'u-agent@keiro.example'],
    ['manager', { kind: 'manager' }, 'u-manager@keiro.example'],
    ['a named user', { kind: 'user', userId: 'u-ops' }, 'u-ops@keiro.example'],
    ['a user field', { kind: 'field', field: 'reviewer' }, 'u-ops@keiro.example'],
    ['an email field', { kind: 'field', field: 'contactEmail' }, 'buyer@example.jp'],
  ])('emails the %s', (_w, to, expected) => {
    expect(plan({ type: 'sendEmail', to, template: { subject: 's', text: 't' } })).toMatchObject({ type: 'sendEmail', to: expected });
  });

  it.each([
    ['an owner without a manager', { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 's', text: 't' } }, ctx({ record: { ...ctx().record, ownerId: 'u-ops' } }), /no manager/],
    ['an unknown user', { type: 'createTask', subject: 's', assignee: { kind: 'user', userId: 'u-ghost' } }, ctx(), /No user u-ghost/],
    ['a user without email', { type: 'sendEmail', to: { kind: 'user', userId: 'u-noemail' }, template: { subject: 's', text: 't' } }, ctx(), /no email/],
    ['no submitter', { type: 'notify', to: { kind: 'submitter' }, message: 'm' }, ctx(), /Nobody submitted/],
    ['an empty role', { type: 'createTask', subject: 's', assignee: { kind: 'role', role: 'admin' } }, ctx({ roleMembers: {} }), /role admin/],
    ['an empty field', { type: 'sendEmail', to: { kind: 'field', field: 'missing' }, template: { subject: 's', text: 't' } }, ctx(), /empty/],
    ['a text field as a user', { type: 'notify', to: { kind: 'field', field: 'name' }, message: 'm' }, ctx(), /does not name a user/],
    ['an email field for a notification', { type: 'notify', to: { kind: 'field', field: 'contactEmail' }, message: 'm' }, ctx(), /users, not email/],
  ])('leaves unresolved: %s', (_w, action, c, reason) => {
    const p = plan(action, c);
    expect(p).toMatchObject({ type: 'unresolved', index: 0, of: (action as Action).type });
    expect(p?.type === 'unresolved' && p.reason).toMatch(reason);
  });

  it('renders email templates: text raw, html escaped, subject on one line', () => {
    const p = plan({ type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 'High value: {{name}}\n', text: '{{name}} is {{amount}} ({{owner.name}})', html: '<p>{{name}}</p>' } });
    expect(p).toMatchObject({ subject: 'High value: Big <Deal>', text: 'Big <Deal> is 2000000 (Agent)', html: '<p>Big &lt;Deal&gt;</p>', recipientId: 'u-manager' });
  });

  it('notify, webhook, updateFields, associate and createRecord', () => {
    const actions = ActionListSchema.parse([
      { type: 'notify', to: { kind: 'owner' }, message: '{{name}} needs you', title: 'Deal {{record.id}}' },
      { type: 'webhook', url: 'https://hooks.example.com/x' },
      { type: 'updateFields', fields: { stage: 'Negotiation', closingDate: null } },
      { type: 'associate', field: 'accountId', recordId: 'A1' },
      { type: 'createRecord', module: 'Cases', fields: { subject: { from: 'name' }, status: 'Open', note: { from: 'absent' } }, relate: { field: 'dealId' } },
    ]);
    expect(planActions(actions, ctx())).toEqual([
      { type: 'notify', index: 0, userId: 'u-agent', title: 'Deal D1', body: 'Big <Deal> needs you', subject: { type: 'record', id: 'D1', module: 'Deals' } },
      { type: 'webhook', index: 1, url: 'https://hooks.example.com/x', body: { record: { id: 'D1', module: 'Deals', ownerId: 'u-agent', fields: ctx().record.fields } } },
      { type: 'updateFields', index: 2, module: 'Deals', recordId: 'D1', fields: { stage: 'Negotiation', closingDate: null } },
      { type: 'associate', index: 3, module: 'Deals', recordId: 'D1', fields: { accountId: 'A1' } },
      { type: 'createRecord', index: 4, module: 'Cases', ownerId: 'u-agent', fields: { subject: 'Big <Deal>', status: 'Open', dealId: 'D1' }, once: true },
    ]);
  });

  it('one unresolved action does not stop the others', () => {
    const out = planActions(
      ActionListSchema.parse([
        { type: 'createTask', subject: 'a', assignee: { kind: 'user', userId: 'u-ghost' } },
        { type: 'createTask', subject: 'b', assignee: { kind: 'owner' } },
      ]),
      ctx(),
    );
    expect(out.map((p) => p.type)).toEqual(['unresolved', 'createTask']);
  });

  it('knows which users to load and whether the manager is needed', () => {
    const actions = ActionListSchema.parse([
      { type: 'sendEmail', to: { kind: 'field', field: 'reviewer' }, template: { subject: 's', text: '{{manager.name}}' } },
      { type: 'notify', to: { kind: 'user', userId: 'u-x' }, message: 'm' },
    ]);
    expect(usersToLoad(actions, { ...ctx(), submitterId: 'u-sub' }).sort()).toEqual(['u-agent', 'u-ops', 'u-sub', 'u-x']);
    expect(needsManager(actions)).toBe(true);
    expect(needsManager(ActionListSchema.parse([{ type: 'createTask', subject: 'x', assignee: { kind: 'owner' } }]))).toBe(false);
  });
});

describe('actionSchema', () => {
  it.each([
    ['an http webhook', { type: 'webhook', url: 'http://hooks.example.com' }],
    ['a webhook with credentials', { type: 'webhook', url: 'https://user:pw@hooks.example.com' }],
    ['a javascript: url', { type: 'webhook', url: 'javascript:alert(1)' }],
    ['an unknown type', { type: 'deleteEverything' }],
    ['an unknown recipient kind', { type: 'notify', to: { kind: 'everyone' }, message: 'm' }],
    ['a negative due date', { type: 'createTask', subject: 's', assignee: { kind: 'owner' }, dueInDays: -1 }],
    ['an empty update', { type: 'updateFields', fields: {} }],
    ['an extra property', { type: 'notify', to: { kind: 'owner' }, message: 'm', extra: 1 }],
    ['an empty subject', { type: 'createTask', subject: '  ', assignee: { kind: 'owner' } }],
  ])('refuses %s', (_w, action) => {
    expect(actionSchema.safeParse(action).success).toBe(false);
  });

  it('caps the number of actions', () => {
    expect(ActionListSchema.safeParse(Array(21).fill({ type: 'notify', to: { kind: 'owner' }, message: 'm' })).success).toBe(false);
  });
});
