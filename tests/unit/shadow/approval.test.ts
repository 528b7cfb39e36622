import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApprovalProcessDefinitionSchema, type ApprovalProcessDefinition } from '../../../shared/domain/approval/index.js';
import type { ShadowDirectory } from '../../../shared/domain/shadow/approval.js';
import type { ShadowChange } from '../../../shared/domain/shadow/change.js';
import type { ShadowSubject } from '../../../shared/domain/shadow/engine.js';
import { countOf, recordCreated, recordUpdated, replayed, replayedInPages, shadowChange, timeFrom } from '../../support/shadow-changes.js';

// The approval replayer: which recorded changes would start the process (trigger, submitter's role,
// entry criteria), whom it would ask, the lock until a decision is recorded, and what depends on a person.

const at = timeFrom('2026-11-01T00:00:00.000Z', 3_600_000);

const DIRECTORY: ShadowDirectory = {
  users: {
    'u-admin': { orgRole: 'admin' },
    'u-boss': { orgRole: 'member' },
    'u-mgr': { orgRole: 'member', managerId: 'u-boss' },
    'u-agent': { orgRole: 'member', managerId: 'u-mgr' },
    'u-lone': { orgRole: 'member' },
    'u-guest': { orgRole: 'guest', managerId: 'u-mgr' },
  },
  teams: {},
};

const discount = (threshold: number, over: Record<string, unknown> = {}): ApprovalProcessDefinition =>
  ApprovalProcessDefinitionSchema.parse({
    name: 'Discount approval',
    module: 'Deals',
    triggers: { onCreate: true, onEdit: { fields: ['discount'] } },
    criteria: { all: [{ field: 'discount', op: 'gte', value: threshold }] },
    levels: [{ approvers: [{ kind: 'ownerManager', levels: 1 }] }],
    onApprove: [],
    onReject: [],
    ...over,
  });
const subjectOf = (definition: ApprovalProcessDefinition, version = 2): ShadowSubject => ({ kind: 'approvalProcess', processId: 'AP1', version, definition });

const role = (actor: string) => DIRECTORY.users[actor]?.orgRole ?? 'guest';
/** Who made a change to deal `id` at `hours`, and whose deal it is. */
const byActor = (id: string, hours: number, actor: string, ownerId: string) => ({ at: at(hours), module: 'Deals', recordId: id, fields: { name: id }, actor, actorRole: role(actor), data: { ownerId } });
const created = (id: string, hours: number, fields: Record<string, unknown>, actor = 'u-agent', ownerId = actor): ShadowChange => recordCreated(byActor(id, hours, actor, ownerId), fields);
const updated = (id: string, hours: number, fields: Record<string, unknown>, changed: Record<string, unknown>, actor = 'u-agent', ownerId = actor): ShadowChange =>
  recordUpdated(byActor(id, hours, actor, ownerId), fields, changed);
const processEvent = (event: string, id: string, hours: number, data: Record<string, unknown> = {}): ShadowChange =>
  shadowChange({ event, at: at(hours), module: 'Deals', recordId: id, actor: 'u-mgr', data: { module: 'Deals', recordId: id, processId: 'AP1', approvalId: `A-${id}`, level: 1, ...data } });

const run = (subject: ShadowSubject, changes: ShadowChange[], directory = DIRECTORY) => replayed(subject, changes, at(24 * 30), { directory });

describe('the approval replayer', () => {
  it('starts on a create meeting the criteria and asks the owner’s manager (never the submitter)', () => {
    const { result } = run(subjectOf(discount(10)), [created('D1', 1, { discount: 15 }), created('D2', 2, { discount: 5 })]);
    expect(result.counts).toEqual([{ kind: 'approvalStarted', label: 'asks u-mgr', count: 1 }]);
    const sample = result.samples[0]!.items[0]!;
    expect(sample).toMatchObject({ record: { id: 'D1' }, outcome: 'ran', sourceEvent: 'record.created' });
    expect(sample.reason).toContain('level 1 of 1 asks u-mgr');
    expect(result.limits).toEqual({ dependsOnPerson: 1, dependsOnCustomer: 0 });
  });

  it('an edit starts it only when a trigger field changed', () => {
    const def = discount(10, { triggers: { onEdit: { fields: ['discount'] } } });
    const { result } = run(subjectOf(def), [created('D1', 1, { discount: 15, note: 'a' }), updated('D1', 2, { discount: 15 }, { note: 'b' }), updated('D1', 3, { note: 'b' }, { discount: 20 })]);
    expect(countOf(result, 'approvalStarted')).toBe(1);
    expect(result.samples[0]!.items[0]!.at).toBe(at(3));
  });

  it('a record under the approval it started is locked until a decision is recorded on it', () => {
    const { result } = run(subjectOf(discount(10)), [
      created('D1', 1, { discount: 15 }),
      updated('D1', 2, { discount: 15 }, { discount: 25 }),
      processEvent('approval.decided', 'D1', 3, { status: 'rejected' }),
      updated('D1', 4, { discount: 25 }, { discount: 30 }),
      processEvent('approval.recalled', 'D1', 5),
      updated('D1', 6, { discount: 30 }, { discount: 35 }),
    ]);
    // 2: locked (ignored); 4: after the rejection, starts again; 6: after the recall, again.
    expect(countOf(result, 'approvalStarted')).toBe(3);
    expect(result.samples[0]!.items.map((s) => s.at)).toEqual([at(1), at(4), at(6)]);
  });

  it('"members only" leaves out admins, guests and automation, by the role of who made the change', () => {
    const def = discount(10, { triggers: { onCreate: true, submittedBy: 'members' }, levels: [{ approvers: [{ kind: 'user', userId: 'u-boss' }] }] });
    const { result } = run(subjectOf(def), [
      created('D1', 1, { discount: 15 }, 'u-admin'),
      created('D2', 1, { discount: 15 }, 'u-guest'),
      created('D3', 1, { discount: 15 }, 'system'),
      created('D4', 1, { discount: 15 }, 'u-agent'),
    ]);
    expect(result.samples[0]!.items.map((s) => s.record.id)).toEqual(['D4']);
  });

  it('a level nobody resolves to falls to the org admins; with none to ask, the write would be refused', () => {
    const { result } = run(subjectOf(discount(10)), [created('D1', 1, { discount: 15 }, 'u-lone')]);
    expect(result.counts).toEqual([{ kind: 'approvalStarted', label: 'asks u-admin', count: 1 }]);
    const alone: ShadowDirectory = { users: { 'u-lone': { orgRole: 'admin' } }, teams: {} };
    const refused = run(subjectOf(discount(10)), [created('D1', 1, { discount: 15 }, 'u-lone')], alone).result;
    expect(refused.counts).toEqual([{ kind: 'skipped', label: 'Discount approval: nobody to ask (the write is refused)', count: 1 }]);
    expect(refused.samples[0]!.items[0]).toMatchObject({ outcome: 'refused', reason: 'The approval process "Discount approval" has no approver for this record' });
    expect(refused.limits.dependsOnPerson).toBe(0);
  });

  it('resolves every level for the record: manager chains, org roles and team spaces from the directory', () => {
    const def = discount(10, {
      levels: [
        { approvers: [{ kind: 'ownerManager', levels: 2 }] },
        { approvers: [{ kind: 'submitterManager', levels: 1 }] },
        { approvers: [{ kind: 'teamRole', teamId: 'T1', role: 'manager' }] },
      ],
    });
    const directory: ShadowDirectory = { ...DIRECTORY, teams: { T1: { 'u-lone': 'manager', 'u-agent': 'manager' } } };
    const { state, result } = run(subjectOf(def), [created('D1', 1, { discount: 15 }, 'u-agent', 'u-agent')], directory);
    expect(result.counts[0]!.label).toBe('asks u-boss');
    expect(state.approval!.made).toEqual({ 'Deals/D1': 1 });
  });

  it('counts SLA reminders and escalations as depending on a person: nothing fires on the simulated clock', () => {
    const def = discount(10, { levels: [{ approvers: [{ kind: 'ownerManager', levels: 1 }], sla: { remindAfterHours: 1, escalateAfterHours: 2 } }] });
    const { result } = run(subjectOf(def), [created('D1', 1, { discount: 15 }), created('D2', 500, { discount: 15 })]);
    expect(result.counts).toEqual([{ kind: 'approvalStarted', label: 'asks u-mgr', count: 2 }]);
    expect(result.samples[0]!.items[0]!.reason).toContain('reminders and escalations fire only if nobody decides in time');
    expect(result.limits.dependsOnPerson).toBe(2);
  });

  it('other modules and a deleted record: nothing starts; a deletion ends the lock', () => {
    const other = { ...created('C1', 1, { discount: 50 }), module: 'Contacts' };
    const deleted = { ...processEvent('record.deleted', 'D1', 2), data: {} };
    const { result } = run(subjectOf(discount(10)), [other, created('D1', 1, { discount: 15 }), deleted, created('D1', 3, { discount: 15 })]);
    expect(result.samples[0]!.items.map((s) => `${s.record.id}@${s.at}`)).toEqual([`D1@${at(1)}`, `D1@${at(3)}`]);
  });

  it('beside the published version: the side-by-side and the cross-check with the approvals recorded live', () => {
    const changes = [
      created('D1', 1, { discount: 15 }),
      processEvent('approval.requested', 'D1', 1),
      processEvent('approval.requested', 'D1', 2, { approverIds: ['u-x'] }), // a delegation repeats the request
      created('D2', 2, { discount: 8 }),
      processEvent('approval.requested', 'D2', 2, { processId: 'OTHER' }),
    ];
    const draft = subjectOf(discount(5));
    const published = subjectOf(discount(10), 1);
    const { result } = replayed(draft, changes, at(48), { published, directory: DIRECTORY });
    expect(result.comparison).toMatchObject({ publishedVersion: 1, removed: [], moved: [], recorded: { checked: 1, mismatches: 0 } });
    expect(result.comparison!.added.map((a) => a.record.id)).toEqual(['D2']);
  });

  it('the cross-check counts a record whose recorded approvals the replay does not start', () => {
    const published = subjectOf(discount(10), 1);
    const changes = [created('D1', 1, { discount: 5 }), processEvent('approval.requested', 'D1', 1)];
    const { result } = replayed(published, changes, at(48), { published, directory: DIRECTORY });
    expect(result.comparison!.recorded).toEqual({ checked: 1, mismatches: 1 });
  });

  it('replaying in pages (state saved as JSON between them) gives the result of one pass', () => {
    const subject = subjectOf(discount(10, { triggers: { onCreate: true, onEdit: { fields: [] }, submittedBy: 'members' } }));
    const actors = ['u-agent', 'u-admin', 'u-guest', 'u-lone'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 39 }),
        (steps, cut) => {
          const seen = new Set<string>();
          const changes = steps.map(([record, kind, discountValue, actor], i) => {
            const id = `D${record}`;
            if (kind === 3) return processEvent('approval.decided', id, i);
            if (!seen.has(id)) {
              seen.add(id);
              return created(id, i, { discount: discountValue }, actors[actor]!);
            }
            return updated(id, i, { discount: 0 }, { discount: discountValue }, actors[actor]!);
          });
          expect(replayedInPages(subject, changes, cut, at(24 * 30), DIRECTORY)).toEqual(run(subject, changes).result);
        },
      ),
    );
  });
});
