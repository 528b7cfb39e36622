import { describe, expect, it } from 'vitest';
import { guardCreate, guardDelete, guardUpdate, type GovernedField, type GuardedRecord, type RecordLock, type WriteChannel } from '../../../shared/domain/records/write-guards.js';

const bp: GovernedField = { blueprintId: 'bp1', name: 'Flow', field: 'stage', version: 2, entryCriteria: { all: [{ field: 'kind', op: 'eq', value: 'Trip' }] }, initialState: 'A', states: ['A', 'B', 'C'] };
const state = { blueprint: bp };
const now = new Date('2026-06-01T00:00:00Z');
const agent = { userId: 'u-agent', isOrgAdmin: false };
const admin = { userId: 'u-admin', isOrgAdmin: true };
const plain: WriteChannel = { kind: 'plain' };
const bound: GuardedRecord = { fields: { kind: 'Trip', stage: 'A', note: 'x' }, blueprint: { blueprintId: 'bp1', version: 1, enteredAt: 't', parallelDone: [], token: 'k' } };
const lock: RecordLock = { reason: 'approval', approvalId: 'ap1', since: 't', allowUserIds: ['u-boss'], editableFields: ['note'] };

const kindOf = (o: { ok: boolean; error?: { kind: string } }) => (o.ok ? 'ok' : o.error?.kind);

describe('write guards: the rules of every record write', () => {
  it.each([
    ['a plain write of another field', bound, ['note'], agent, plain, 'ok'],
    ['a plain write of the governed field', bound, ['stage'], agent, plain, 'rule'],
    ['an org admin without a reason', bound, ['stage'], admin, plain, 'rule'],
    ['an org admin with a reason (override)', bound, ['stage'], { ...admin, overrides: true }, plain, 'ok'],
    ['a member with a reason', bound, ['stage'], { ...agent, overrides: true }, plain, 'rule'],
    ['a transition of this blueprint', bound, ['stage'], agent, { kind: 'transition', blueprintId: 'bp1' }, 'ok'],
    ['a transition of another blueprint', bound, ['stage'], agent, { kind: 'transition', blueprintId: 'bp9' }, 'rule'],
    ['an unbound record outside the entry criteria', { fields: { kind: 'Other', stage: 'C' } }, ['stage'], agent, plain, 'ok'],
    ['an unbound record inside the entry criteria', { fields: { kind: 'Trip', stage: 'C' } }, ['stage'], agent, plain, 'rule'],
    ['an edit that makes a record match the criteria, touching the field', { fields: { kind: 'Other' } }, ['kind', 'stage'], agent, plain, 'rule'],
    ['a locked record, whitelisted field', { ...bound, lock }, ['note'], agent, plain, 'ok'],
    ['a locked record, other field', { ...bound, lock }, ['kind'], agent, plain, 'locked'],
    ['a locked record, an org admin', { ...bound, lock }, ['kind'], { ...admin, overrides: true }, plain, 'locked'],
    ['a locked record, a user the lock allows', { ...bound, lock }, ['kind'], { userId: 'u-boss', isOrgAdmin: false }, plain, 'ok'],
    ['a locked record, the lock holder', { ...bound, lock }, ['kind'], agent, { kind: 'lock-holder', lockId: 'ap1' }, 'ok'],
    ['a locked record, another process', { ...bound, lock }, ['kind'], agent, { kind: 'lock-holder', lockId: 'ap2' }, 'locked'],
    ['a locked record, a transition', { ...bound, lock }, ['stage'], agent, { kind: 'transition', blueprintId: 'bp1' }, 'locked'],
    ['the lock holder sending the state back', { ...bound, lock }, ['stage'], agent, { kind: 'lock-holder', lockId: 'ap1', sendBack: { blueprintId: 'bp1' } }, 'ok'],
    ['the lock holder moving the state without send-back', { ...bound, lock }, ['stage'], agent, { kind: 'lock-holder', lockId: 'ap1' }, 'rule'],
    ['a lock in the earlier { kind, id } shape', { ...bound, lock: { kind: 'approval', id: 'old', since: 't' } as unknown as RecordLock }, ['note'], agent, plain, 'locked'],
  ] as const)('%s → %s', (_name, record, changed, actor, channel, expected) => {
    const next = { ...record.fields, ...Object.fromEntries(changed.map((f) => [f, f === 'kind' ? 'Trip' : 'B'])) };
    expect(kindOf(guardUpdate(state, record as GuardedRecord, changed, next, actor, channel as WriteChannel, now))).toBe(expected);
  });

  it('names the governed field at fields.<name> in a 422', () => {
    const out = guardUpdate(state, bound, ['stage'], { ...bound.fields, stage: 'C' }, agent, plain, now);
    expect(out.ok ? [] : out.error.errors).toEqual([expect.objectContaining({ path: 'fields.stage' })]);
  });

  it('a record entering the blueprint keeps a state it has, else starts in the initial one', () => {
    const keeps = guardUpdate(state, { fields: { kind: 'Other', stage: 'B' } }, ['kind'], { kind: 'Trip', stage: 'B' }, agent, plain, now);
    expect(keeps).toMatchObject({ ok: true, value: { setFields: {}, enters: { blueprintId: 'bp1', version: 2 } } });
    const starts = guardUpdate(state, { fields: { kind: 'Other' } }, ['kind'], { kind: 'Trip' }, agent, plain, now);
    expect(starts).toMatchObject({ ok: true, value: { setFields: { stage: 'A' } } });
  });

  it('create: starts in the initial state; another state is 422 unless an org admin overrides with a reason', () => {
    expect(guardCreate(state, { kind: 'Trip' }, agent, now)).toMatchObject({ ok: true, value: { setFields: { stage: 'A' }, enters: { blueprintId: 'bp1', version: 2 } } });
    expect(guardCreate(state, { kind: 'Trip', stage: 'A' }, agent, now)).toMatchObject({ ok: true });
    expect(kindOf(guardCreate(state, { kind: 'Trip', stage: 'C' }, agent, now))).toBe('rule');
    expect(guardCreate(state, { kind: 'Trip', stage: 'C' }, { ...admin, overrides: true }, now)).toMatchObject({ ok: true, value: { setFields: {}, override: true } });
    expect(guardCreate(state, { kind: 'Other', stage: 'C' }, agent, now)).toMatchObject({ ok: true, value: { setFields: {} } });
    expect(guardCreate({}, { stage: 'anything' }, agent, now)).toMatchObject({ ok: true });
  });

  it('delete: 423 while locked, except for the lock holder', () => {
    expect(kindOf(guardDelete({ ...bound, lock }, plain))).toBe('locked');
    expect(kindOf(guardDelete({ ...bound, lock }, { kind: 'lock-holder', lockId: 'ap1' }))).toBe('ok');
    expect(kindOf(guardDelete(bound, plain))).toBe('ok');
  });
});
