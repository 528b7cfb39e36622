import { describe, expect, it } from 'vitest';
import { ApprovalProcessDefinitionSchema } from '../../../shared/domain/approval/definition.js';
import { applySlaWake, decideApproval, delegateApproval, recallApproval, slaWakes, startApproval, type ApprovalState } from '../../../shared/domain/approval/engine.js';
import { triggerFires } from '../../../shared/domain/process/triggers.js';
import { ReviewProcessDefinitionSchema } from '../../../shared/domain/review/definition.js';
import { decideReview, startReview } from '../../../shared/domain/review/engine.js';

const def = ApprovalProcessDefinitionSchema.parse({
  name: 'Two levels',
  module: 'Deals',
  triggers: { onCreate: true, onEdit: { fields: ['discountPercent'] }, submittedBy: 'members' },
  criteria: { all: [{ field: 'discountPercent', op: 'gt', value: 10 }] },
  levels: [
    { approvers: [{ kind: 'submitterManager', levels: 1 }], rule: 'anyone', sla: { remindAfterHours: 24, escalateAfterHours: 48 } },
    { approvers: [{ kind: 'user', userId: 'u-a' }, { kind: 'user', userId: 'u-b' }], rule: 'everyone' },
  ],
});
const T0 = '2026-05-01T00:00:00.000Z';
const start = (): ApprovalState => {
  const out = startApproval({ id: 'ap1', processId: 'p1', processVersion: 1, def, recordId: 'd1', submittedBy: 'u-agent', resolvedLevels: [['u-manager'], ['u-a', 'u-b']], now: T0, token: 't0' });
  if (!out.ok) throw out.error;
  return out.value;
};
const member = (userId: string) => ({ userId, isOrgAdmin: false });
const value = <T>(o: { ok: true; value: T } | { ok: false; error: Error }): T => {
  if (!o.ok) throw o.error;
  return o.value;
};

describe('approval engine', () => {
  it('triggers on create and on an edit of the watched field, by members, when the criteria hold', () => {
    const base = { fields: { discountPercent: 15 }, at: new Date(T0), submitterRole: 'member' as const };
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'create', changedFields: ['name'] })).toBe(true);
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'edit', changedFields: ['discountPercent'] })).toBe(true);
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'edit', changedFields: ['amount'] })).toBe(false);
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'create', changedFields: [], submitterRole: 'admin' })).toBe(false);
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'create', changedFields: [], fields: { discountPercent: 10 } })).toBe(false);
    expect(triggerFires(def.triggers, def.criteria, { ...base, kind: 'manual', changedFields: [] })).toBe(false);
  });

  it('a level nobody resolves to cannot start (422 naming the level)', () => {
    const out = startApproval({ id: 'x', processId: 'p', processVersion: 1, def, recordId: 'd', submittedBy: 's', resolvedLevels: [[], ['u-a']], now: T0, token: 't' });
    expect(out.ok ? null : out.error.errors).toEqual([{ path: 'levels.0.approvers', message: expect.any(String) }]);
  });

  it('anyone settles level 1, everyone must approve level 2, then it is approved', () => {
    const l1 = value(decideApproval(start(), member('u-manager'), 'approve', undefined, '2026-05-01T01:00:00.000Z', 't1'));
    expect(l1).toMatchObject({ final: false, advanced: true, approval: { level: 2, approverIds: ['u-a', 'u-b'], token: 't1' } });
    const half = value(decideApproval(l1.approval, member('u-a'), 'approve', undefined, T0, 't2'));
    expect(half).toMatchObject({ final: false, advanced: false, approval: { status: 'pending', level: 2 } });
    expect(decideApproval(half.approval, member('u-a'), 'approve', undefined, T0, 't3')).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    const done = value(decideApproval(half.approval, member('u-b'), 'approve', undefined, T0, 't3'));
    expect(done).toMatchObject({ final: true, approval: { status: 'approved' } });
    expect(decideApproval(done.approval, member('u-b'), 'approve', undefined, T0, 't4')).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });

  it('a rejection needs a comment and ends it; outsiders are 403; an org admin acts for the approver', () => {
    const a = start();
    expect(decideApproval(a, member('u-manager'), 'reject', ' ', T0, 't')).toMatchObject({ ok: false, error: { kind: 'rule' } });
    expect(decideApproval(a, member('u-agent'), 'approve', undefined, T0, 't')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(value(decideApproval(a, member('u-manager'), 'reject', 'Too much', T0, 't'))).toMatchObject({ final: true, approval: { status: 'rejected', history: [expect.anything(), { action: 'rejected', comment: 'Too much' }] } });
    const byAdmin = value(decideApproval(a, { userId: 'u-admin', isOrgAdmin: true }, 'approve', undefined, T0, 't'));
    expect(byAdmin.approval.history.at(-1)).toMatchObject({ by: 'u-admin', onBehalfOf: 'u-manager' });
  });

  it('delegation swaps the approver (not to the submitter or an existing approver); recall is the submitter’s', () => {
    const a = start();
    expect(value(delegateApproval(a, member('u-manager'), 'u-ops', undefined, T0, 't1'))).toMatchObject({ approverIds: ['u-ops'], token: 't1' });
    expect(delegateApproval(a, member('u-manager'), 'u-agent', undefined, T0, 't1')).toMatchObject({ ok: false, error: { kind: 'rule' } });
    expect(delegateApproval(a, member('u-ops'), 'u-x', undefined, T0, 't1')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(recallApproval(a, member('u-manager'), undefined, T0, 't1')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(value(recallApproval(a, member('u-agent'), 'oops', T0, 't1'))).toMatchObject({ status: 'recalled' });
  });

  it('SLA: remind and escalate times per level; escalation adds the approvers’ managers once; stale wakes do nothing', () => {
    const a = start();
    expect(slaWakes(a)).toEqual([
      { kind: 'remind', wakeAt: '2026-05-02T00:00:00.000Z' },
      { kind: 'escalate', wakeAt: '2026-05-03T00:00:00.000Z' },
    ]);
    const esc = value(applySlaWake(a, 'escalate', 't0', T0, { 'u-manager': 'u-director' }));
    expect(esc.added).toEqual(['u-director']);
    expect(esc.approval.approverIds).toEqual(['u-manager', 'u-director']);
    expect(value(applySlaWake(esc.approval, 'escalate', 't0', T0, { 'u-manager': 'u-director' })).added).toEqual([]);
    expect(applySlaWake(a, 'remind', 'stale', T0, {})).toMatchObject({ ok: false });
    expect(value(applySlaWake(a, 'remind', 't0', T0, {})).approval.history.at(-1)).toMatchObject({ action: 'reminded' });
  });
});

describe('review engine', () => {
  const rdef = ReviewProcessDefinitionSchema.parse({ name: 'R', module: 'Accounts', triggers: { onCreate: true }, fields: ['name', 'website'], reviewers: [{ kind: 'submitterManager', levels: 1 }] });
  const review = () => value(startReview({ id: 'r1', processId: 'p', processVersion: 1, def: rdef, recordId: 'a1', fields: { name: 'N', website: 'w' }, createdBy: 'u-agent', reviewerIds: ['u-manager', 'u-agent'], now: T0 }));

  it('the creator never reviews their own record; nobody else → 422', () => {
    expect(review().reviewerIds).toEqual(['u-manager']);
    expect(startReview({ id: 'r', processId: 'p', processVersion: 1, def: rdef, recordId: 'a', fields: {}, createdBy: 'u-agent', reviewerIds: ['u-agent'], now: T0 })).toMatchObject({ ok: false, error: { kind: 'rule' } });
  });

  it('each field decided, rejections with reasons; any rejection rejects', () => {
    const r = review();
    expect(decideReview(r, member('u-agent'), { fields: {} }, T0)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const missing = decideReview(r, member('u-manager'), { fields: { name: { accept: true }, bogus: { accept: true } } }, T0);
    expect(missing.ok ? [] : missing.error.errors.map((e) => e.path).sort()).toEqual(['fields.bogus', 'fields.website']);
    const noReason = decideReview(r, member('u-manager'), { fields: { name: { accept: true }, website: { accept: false } } }, T0);
    expect(noReason.ok ? [] : noReason.error.errors.map((e) => e.path)).toEqual(['fields.website.reason']);
    const done = value(decideReview(r, member('u-manager'), { fields: { name: { accept: true }, website: { accept: false, reason: 'Not a URL' } } }, T0));
    expect(done).toMatchObject({ status: 'rejected', fields: { website: { value: 'w', accept: false, reason: 'Not a URL' } } });
    expect(value(decideReview(r, member('u-manager'), { fields: { name: { accept: true }, website: { accept: true } } }, T0)).status).toBe('accepted');
    expect(decideReview(done, member('u-manager'), { fields: {} }, T0)).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });
});
