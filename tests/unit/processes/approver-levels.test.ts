import { describe, expect, it } from 'vitest';
import { resolveLevels, withAdminFallback, type Participant, type PeopleContext } from '../../../shared/domain/process/participants.js';

// Whom an approval asks, level by level: the pure part of the edge's resolution (shared/db/record-processes.ts),
// so that a shadow run can ask the same question the live start asks.

const people: PeopleContext = {
  ownerId: 'u-owner',
  ownerManagerChain: ['u-mgr', 'u-vp'],
  submitterId: 'u-sub',
  submitterManagerChain: ['u-owner'],
  usersByOrgRole: { admin: ['u-admin', 'u-sub'], member: ['u-owner', 'u-sub', 'u-mgr'] },
  teams: { t1: { 'u-lead': 'manager', 'u-sub': 'manager', 'u-x': 'member' } },
};

describe('resolveLevels', () => {
  it('resolves each level for the record and never asks the submitter', () => {
    const lists: Participant[][] = [[{ kind: 'ownerManager', levels: 1 }], [{ kind: 'teamRole', teamId: 't1', role: 'manager' }], [{ kind: 'orgRole', role: 'admin' }, { kind: 'user', userId: 'u-vp' }]];
    expect(resolveLevels(lists, people, 'u-sub')).toEqual([['u-mgr'], ['u-lead'], ['u-admin', 'u-vp']]);
  });

  it('leaves a level empty when only the submitter (or nobody) is named', () => {
    expect(resolveLevels([[{ kind: 'user', userId: 'u-sub' }], [{ kind: 'ownerManager', levels: 3 }]], people, 'u-sub')).toEqual([[], []]);
  });
});

describe('withAdminFallback', () => {
  it('gives an empty level to the org admins, without the submitter, and keeps the others', () => {
    expect(withAdminFallback([['u-mgr'], []], ['u-admin', 'u-sub'], 'u-sub')).toEqual([['u-mgr'], ['u-admin']]);
  });

  it('leaves a level empty when the submitter is the only admin (the start then refuses: no approver)', () => {
    expect(withAdminFallback([[]], ['u-sub'], 'u-sub')).toEqual([[]]);
  });
});
