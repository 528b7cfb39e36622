import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideModuleManage, decideOwnerAssignment, decideRecordAccess, type Principal, type RecordAction } from '../../../shared/domain/access/index.js';

const principal = (userId: string, orgRole: Principal['orgRole'], extra: Partial<Principal> = {}): Principal => ({
  userId,
  orgRole,
  isOrgAdmin: orgRole === 'admin',
  teamRoles: {},
  requesterOf: [],
  ...extra,
});

const leads = { name: 'Leads' };
const agentRecord = { ownerId: 'u-agent', ownerManagerChain: ['u-manager', 'u-director'] };

describe('org module records (README: who may do what)', () => {
  const admin = principal('u-admin', 'admin');
  const manager = principal('u-manager', 'member');
  const director = principal('u-director', 'member');
  const agent = principal('u-agent', 'member');
  const peer = principal('u-peer', 'member');
  const guest = principal('u-guest', 'guest');

  it.each<[string, Principal, RecordAction, boolean | 403 | 404]>([
    ['admin updates anything', admin, 'update', true],
    ['admin deletes anything', admin, 'delete', true],
    ['owner updates', agent, 'update', true],
    ['direct manager updates', manager, 'update', true],
    ["manager's manager deletes", director, 'delete', true],
    ['peer reads', peer, 'read', true],
    ['peer cannot update', peer, 'update', 403],
    ['peer cannot delete', peer, 'delete', 403],
    ['guest cannot read (hidden)', guest, 'read', 404],
    ['guest cannot create (hidden)', guest, 'create', 404],
  ])('%s', (_label, who, action, expected) => {
    const decision = decideRecordAccess(who, leads, action, agentRecord);
    if (expected === true) expect(decision.allowed).toBe(true);
    else expect(decision).toMatchObject({ allowed: false, status: expected });
  });

  it('property: a member may change a record iff they own it or are in its manager chain', () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(ids, ids, fc.uniqueArray(ids, { maxLength: 4 }), fc.constantFrom<RecordAction>('update', 'delete'), (caller, owner, chain, action) => {
        const decision = decideRecordAccess(principal(caller, 'member'), leads, action, { ownerId: owner, ownerManagerChain: chain });
        expect(decision.allowed).toBe(caller === owner || chain.includes(caller));
      }),
    );
  });

  it('property: a guest never sees an org module, whatever the action', () => {
    fc.assert(
      fc.property(fc.constantFrom<RecordAction>('read', 'list', 'create', 'update', 'delete'), (action) => {
        expect(decideRecordAccess(guest, leads, action, agentRecord)).toMatchObject({ allowed: false, status: 404 });
      }),
    );
  });

  it('owner assignment: to yourself or someone below you, unless admin', () => {
    expect(decideOwnerAssignment(manager, 'u-agent', ['u-manager']).allowed).toBe(true);
    expect(decideOwnerAssignment(agent, 'u-manager', []).allowed).toBe(false);
    expect(decideOwnerAssignment(admin, 'anyone', []).allowed).toBe(true);
  });

  it('module metadata of org modules is the org admin’s', () => {
    expect(decideModuleManage(admin, leads).allowed).toBe(true);
    expect(decideModuleManage(manager, leads)).toMatchObject({ allowed: false, status: 403 });
  });

  it('a guest cannot tell that an org module exists: managing it is 404, as for a missing one', () => {
    expect(decideModuleManage(guest, leads)).toMatchObject({ allowed: false, status: 404 });
    expect(decideModuleManage(guest, { name: 'CustomTrips' })).toMatchObject({ allowed: false, status: 404 });
  });
});
