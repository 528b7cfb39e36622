import { describe, expect, it } from 'vitest';
import { BlueprintDefinitionSchema, automaticDue, availableTransitions, fireAutomatic, performTransition, validateBlueprint } from '../../../shared/domain/blueprint/index.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import type { BlueprintBinding } from '../../../shared/domain/records/write-guards.js';

const module: ModuleMetadata = {
  name: 'Contracts',
  label: 'Contracts',
  kind: 'custom',
  version: 1,
  fields: [
    { name: 'title', label: 'Title', type: 'text', required: true },
    { name: 'status', label: 'Status', type: 'picklist', required: false, options: ['Draft', 'Review', 'Signed', 'Cancelled', 'Stale'] },
    { name: 'value', label: 'Value', type: 'currency', required: false },
  ],
};
const def = BlueprintDefinitionSchema.parse({
  name: 'Contract',
  module: 'Contracts',
  field: 'status',
  entryCriteria: { all: [] },
  initialState: 'Draft',
  states: ['Draft', 'Review', 'Signed', 'Cancelled', 'Stale'],
  transitions: [
    { id: 'submit', name: 'Submit', from: 'Draft', to: 'Review', before: { who: [{ kind: 'owner' }] }, during: { fields: [{ name: 'value', min: 1 }], checklist: ['Terms attached'] } },
    { id: 'legal', name: 'Legal OK', kind: 'parallel', from: 'Review', to: 'Signed', before: { who: [{ kind: 'user', userId: 'u-legal' }] } },
    { id: 'finance', name: 'Finance OK', kind: 'parallel', from: 'Review', to: 'Signed', before: { who: [{ kind: 'user', userId: 'u-fin' }], criteria: { all: [{ field: 'value', op: 'lt', value: 1000000 }] } } },
    { id: 'cancel', name: 'Cancel', kind: 'common', to: 'Cancelled', before: { who: [{ kind: 'orgRole', role: 'admin' }] }, during: { note: 'required' } },
    { id: 'stale', name: 'Goes stale', kind: 'automatic', from: 'Review', to: 'Stale', afterHours: 72 },
    { id: 'nudge', name: 'Nudge the manager', kind: 'automatic', from: 'Review', escalate: true, afterHours: 24 },
  ],
});
const binding: BlueprintBinding = { blueprintId: 'bp', version: 1, enteredAt: '2026-01-01T00:00:00.000Z', parallelDone: [], token: 'k0' };
const people = { ownerId: 'u-owner', ownerManagerChain: ['u-boss'] };
const actor = (userId: string, admin = false) => ({ userId, isOrgAdmin: admin, orgRole: admin ? ('admin' as const) : ('member' as const), teamRoles: {} });
const perform = (fields: Record<string, unknown>, b: BlueprintBinding, transitionId: string, userId: string, input = {}, admin = false) =>
  performTransition({ def, module, fields: fields as never, binding: b, transitionId, input, actor: actor(userId, admin), people, now: '2026-01-02T00:00:00.000Z', newToken: 'k1', phoneRegion: 'JP' });

const NOW = new Date('2026-01-05T00:00:00Z');

describe('blueprint engine', () => {
  it('validates at save: states in the picklist, reachable, transitions naming states, fields and people', () => {
    expect(validateBlueprint(def, module, { userIds: new Set(['u-legal', 'u-fin']), teamIds: new Set() })).toEqual([]);
    const broken = BlueprintDefinitionSchema.parse({ ...def, states: [...def.states, 'Archived'], transitions: [...def.transitions.slice(0, 1), { id: 'submit', name: 'Again', from: 'Draft', to: 'Nowhere', before: { who: [{ kind: 'user', userId: 'u-none' }] } }] });
    const paths = validateBlueprint(broken, module, { userIds: new Set(), teamIds: new Set() }).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['states.5', 'transitions.1.id', 'transitions.1.to', 'transitions.1.before.who.0.userId', 'states.2', 'states.3']));
    expect(validateBlueprint({ ...def, field: 'title' }, module, { userIds: new Set(['u-legal', 'u-fin']), teamIds: new Set() }).map((e) => e.path)).toContain('field');
  });

  it('offers what this user may do now: owner submits, admins cancel from anywhere, automatic never offered', () => {
    expect(availableTransitions(def, { status: 'Draft' }, binding, actor('u-owner'), people, NOW).map((t) => t.id)).toEqual(['submit']);
    expect(availableTransitions(def, { status: 'Draft' }, binding, actor('u-admin', true), people, NOW).map((t) => t.id)).toEqual(['cancel']);
    expect(availableTransitions(def, { status: 'Cancelled' }, binding, actor('u-admin', true), people, NOW)).toEqual([]);
  });

  it('during: fields with rules and the checklist are enforced (422 naming each)', () => {
    const out = perform({ status: 'Draft' }, binding, 'submit', 'u-owner', { fields: { value: 0 } });
    expect(out.ok ? [] : out.error.errors.map((e) => e.path)).toEqual(['fields.value', 'checklist.0']);
    const ok = perform({ status: 'Draft' }, binding, 'submit', 'u-owner', { fields: { value: 500 }, checklist: ['Terms attached'] });
    expect(ok).toMatchObject({ ok: true, value: { moved: true, to: 'Review', patch: { value: 500, status: 'Review' }, binding: { token: 'k1', enteredAt: '2026-01-02T00:00:00.000Z' } } });
  });

  it('parallel: the record moves only when every branch is done; a branch twice is 409; criteria unmet is 422', () => {
    const review = { status: 'Review', value: 500 };
    const first = perform(review, binding, 'legal', 'u-legal');
    if (!first.ok) throw first.error;
    expect(first.value).toMatchObject({ moved: false, to: 'Review', patch: {}, binding: { parallelDone: ['legal'], token: 'k0' } });
    expect(perform(review, first.value.binding, 'legal', 'u-legal')).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(perform({ status: 'Review', value: 5_000_000 }, first.value.binding, 'finance', 'u-fin')).toMatchObject({ ok: false, error: { kind: 'rule' } });
    expect(perform(review, first.value.binding, 'finance', 'u-fin')).toMatchObject({ ok: true, value: { moved: true, to: 'Signed', patch: { status: 'Signed' } } });
    expect(perform(review, binding, 'finance', 'u-legal')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('common transitions leave any state; a wrong state is 409; automatic ones cannot be performed by hand', () => {
    expect(perform({ status: 'Signed' }, binding, 'cancel', 'u-admin', { note: 'Customer withdrew' }, true)).toMatchObject({ ok: true, value: { from: 'Signed', to: 'Cancelled' } });
    expect(perform({ status: 'Signed' }, binding, 'cancel', 'u-admin', {}, true)).toMatchObject({ ok: false, error: { kind: 'rule' } });
    expect(perform({ status: 'Signed' }, binding, 'submit', 'u-owner')).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(perform({ status: 'Review' }, binding, 'stale', 'u-admin', {}, true)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('automatic: due after its hours in state; fires only with the stay token and when due; an escalation runs once per stay', () => {
    expect(automaticDue(def, { status: 'Review' }, binding, NOW).map((d) => [d.transition.id, d.wakeAt])).toEqual([
      ['stale', '2026-01-04T00:00:00.000Z'],
      ['nudge', '2026-01-02T00:00:00.000Z'],
    ]);
    const fire = (id: string, token: string, now: string, b = binding) => fireAutomatic({ def, fields: { status: 'Review' }, binding: b, transitionId: id, token, now, newToken: 'k9' });
    expect(fire('stale', 'k0', '2026-01-03T00:00:00.000Z')).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(fire('stale', 'old', '2026-01-05T00:00:00.000Z')).toMatchObject({ ok: false });
    expect(fire('stale', 'k0', '2026-01-05T00:00:00.000Z')).toMatchObject({ ok: true, value: { moved: true, to: 'Stale', binding: { token: 'k9' } } });
    const nudged = fire('nudge', 'k0', '2026-01-02T00:00:00.000Z');
    if (!nudged.ok) throw nudged.error;
    expect(nudged.value).toMatchObject({ moved: false, to: 'Review', patch: {}, binding: { token: 'k0', parallelDone: ['nudge'] } });
    expect(fire('nudge', 'k0', '2026-01-03T00:00:00.000Z', nudged.value.binding)).toMatchObject({ ok: false });
  });
});
