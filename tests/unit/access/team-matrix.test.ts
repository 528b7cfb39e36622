import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decideAdminRevoke,
  decideMembershipChange,
  decideModuleManage,
  decideModuleRead,
  decideRecordAccess,
  decideRequestQueue,
  decideRequestRead,
  decideRequestSubmit,
  decideRequestUpdate,
  decideTeamModuleSettings,
  type Decision,
  type Principal,
  type RecordAction,
  type RecordScope,
  type TeamRole,
} from '../../../shared/domain/access/index.js';
import { CELLS, ROLE_USERS, type Action, type Outcome, type Role } from '../../fixtures/teams/permission-matrix.js';

const TEAM = 'team-ops';
const arrangements = { name: 'Arrangements', ownerTeamId: TEAM };
const leads = { name: 'Leads' };

const principal = (userId: string, orgRole: Principal['orgRole'], extra: Partial<Principal> = {}): Principal => ({ userId, orgRole, isOrgAdmin: orgRole === 'admin', teamRoles: {}, requesterOf: [], ...extra });
const inTeam = (userId: string, role: TeamRole) => principal(userId, 'member', { teamRoles: { [TEAM]: role } });

const PRINCIPALS: Record<Role, Principal> = {
  orgAdmin: principal(ROLE_USERS.orgAdmin, 'admin'),
  teamAdmin: inTeam(ROLE_USERS.teamAdmin, 'admin'),
  teamManager: inTeam(ROLE_USERS.teamManager, 'manager'),
  teamMember: inTeam(ROLE_USERS.teamMember, 'member'),
  participant: inTeam(ROLE_USERS.participant, 'participant'),
  requester: principal(ROLE_USERS.requester, 'guest', { requesterOf: ['Arrangements'] }),
  outsider: principal(ROLE_USERS.outsider, 'member'),
};

const agentLead: RecordScope = { ownerId: 'u-agent', ownerManagerChain: ['u-manager'] };
const adminsArrangement: RecordScope = { ownerId: ROLE_USERS.teamAdmin, ownerManagerChain: [] };

/** As the record handlers ask: module visible → action on the module → action on the record. */
const recordOutcome = (p: Principal, module: { name: string; ownerTeamId?: string }, action: RecordAction, record: RecordScope): Decision => {
  const steps = [decideModuleRead(p, module), decideRecordAccess(p, module, action)];
  if (action !== 'list' && action !== 'create') steps.push(decideRecordAccess(p, module, action, record));
  return steps.find((d) => !d.allowed) ?? steps[0] as Decision;
};

const handledRequest = { requesterId: ROLE_USERS.requester, assigneeId: ROLE_USERS.teamAdmin };

const DECIDE: Record<Action, (p: Principal) => Decision> = {
  'org.read': (p) => recordOutcome(p, leads, 'read', agentLead),
  'org.list': (p) => recordOutcome(p, leads, 'list', agentLead),
  'org.create': (p) => recordOutcome(p, leads, 'create', agentLead),
  'org.update': (p) => recordOutcome(p, leads, 'update', agentLead),
  'org.delete': (p) => recordOutcome(p, leads, 'delete', agentLead),
  'team.read': (p) => recordOutcome(p, arrangements, 'read', adminsArrangement),
  'team.list': (p) => recordOutcome(p, arrangements, 'list', adminsArrangement),
  'team.create': (p) => recordOutcome(p, arrangements, 'create', adminsArrangement),
  'team.update': (p) => recordOutcome(p, arrangements, 'update', adminsArrangement),
  'team.delete': (p) => recordOutcome(p, arrangements, 'delete', adminsArrangement),
  'fields.manage': (p) => decideModuleManage(p, arrangements),
  'requesters.manage': (p) => decideTeamModuleSettings(p, arrangements),
  'request.submit': (p) => decideRequestSubmit(p, arrangements),
  'request.readOwn': (p) => decideRequestRead(p, arrangements, { requesterId: p.userId }),
  'request.readOthers': (p) => decideRequestRead(p, arrangements, { requesterId: 'u-agent' }),
  'request.handle': (p) => decideRequestUpdate(p, arrangements, handledRequest, { status: true }),
  'request.comment': (p) => decideRequestUpdate(p, arrangements, handledRequest, { comment: true }),
  'admin.revoke': (p) => decideAdminRevoke(p, TEAM),
};

const outcomeOf = (d: Decision): Outcome => (d.allowed ? 'allow' : d.status);

describe('the permission matrix on the access functions (same table as the HTTP test)', () => {
  it.each(CELLS)('$role → $action: $outcome', ({ role, action, outcome }) => {
    expect(outcomeOf(DECIDE[action](PRINCIPALS[role]))).toBe(outcome);
  });
});

// ——— where rules interact: properties over random principals ———

const TEAMS = ['team-ops', 'team-legal', 'team-mkt'] as const;
const MODULES = ['Arrangements', 'Contracts', 'Campaigns'] as const;
const roleArb = fc.constantFrom<TeamRole>('admin', 'manager', 'member', 'participant');
const principalArb = fc.record({
  userId: fc.constantFrom('u-1', 'u-2', 'u-3', 'u-admin'),
  isOrgAdmin: fc.boolean(),
  orgRole: fc.constantFrom<Principal['orgRole']>('admin', 'member', 'guest'),
  teamRoles: fc.dictionary(fc.constantFrom(...TEAMS), roleArb, { maxKeys: 3 }),
  requesterOf: fc.subarray([...MODULES]),
});
const recordArb = fc.record({ ownerId: fc.constantFrom('u-1', 'u-2', 'u-3'), ownerManagerChain: fc.subarray(['u-1', 'u-2', 'u-3']) });
const actionArb = fc.constantFrom<RecordAction>('read', 'list', 'create', 'update', 'delete');
const requestArb = fc.record({ requesterId: fc.constantFrom('u-1', 'u-2', 'u-9'), assigneeId: fc.option(fc.constantFrom('u-1', 'u-2', 'u-3'), { nil: undefined }) }).map(({ requesterId, assigneeId }) => (assigneeId ? { requesterId, assigneeId } : { requesterId }));
const changeArb = fc.record({ status: fc.boolean(), comment: fc.boolean(), assigneeId: fc.option(fc.option(fc.constantFrom('u-1', 'u-2', 'u-3'), { nil: null }), { nil: undefined }) }).map(({ assigneeId, ...rest }) => (assigneeId === undefined ? rest : { ...rest, assigneeId }));

const teamModule = { name: 'Arrangements', ownerTeamId: 'team-ops' };

/** Every team-module question, as one list of decisions, for properties that hold across all of them. */
const teamDecisions = (p: Principal, record: RecordScope, action: RecordAction, request: { requesterId: string; assigneeId?: string }, change: Parameters<typeof decideRequestUpdate>[3]): Decision[] => [
  decideModuleRead(p, teamModule),
  decideRecordAccess(p, teamModule, action, record),
  decideModuleManage(p, teamModule),
  decideTeamModuleSettings(p, teamModule),
  decideRequestSubmit(p, teamModule),
  decideRequestQueue(p, teamModule),
  decideRequestRead(p, teamModule, request),
  decideRequestUpdate(p, teamModule, request, change),
  decideAdminRevoke(p, teamModule.ownerTeamId),
  decideMembershipChange(p, teamModule.ownerTeamId, { nextRole: 'member' }),
];

const without = (p: Principal, teamId: string): Principal => {
  const { [teamId]: _gone, ...rest } = p.teamRoles;
  return { ...p, teamRoles: rest };
};

describe('team rules: properties', () => {
  it('an org admin may do everything in every team', () => {
    fc.assert(
      fc.property(principalArb, recordArb, actionArb, requestArb, changeArb, (p, record, action, request, change) => {
        const admin = { ...p, isOrgAdmin: true };
        expect(teamDecisions(admin, record, action, request, change).every((d) => d.allowed)).toBe(true);
      }),
    );
  });

  it('someone outside the team who is not its requester gets 404 for everything about its module (existence does not leak)', () => {
    fc.assert(
      fc.property(principalArb, recordArb, actionArb, requestArb, changeArb, (p, record, action, request, change) => {
        const outsider = { ...without(p, 'team-ops'), isOrgAdmin: false, orgRole: p.orgRole === 'admin' ? 'member' : p.orgRole, requesterOf: p.requesterOf.filter((m) => m !== 'Arrangements') } as Principal;
        const ownRequest = request.requesterId === outsider.userId;
        for (const d of teamDecisions(outsider, record, action, request, change)) {
          if (d.allowed) expect(ownRequest).toBe(true); // only their own request (submitted while they were a requester)
          else expect(d.status === 404 || ownRequest).toBe(true);
        }
      }),
    );
  });

  it('a requester grant never opens the module or its records', () => {
    fc.assert(
      fc.property(principalArb, recordArb, actionArb, (p, record, action) => {
        const plain = { ...p, requesterOf: p.requesterOf.filter((m) => m !== 'Arrangements') };
        const granted = { ...plain, requesterOf: [...plain.requesterOf, 'Arrangements'] };
        expect(decideRecordAccess(granted, teamModule, action, record)).toEqual(decideRecordAccess(plain, teamModule, action, record));
        expect(decideModuleRead(granted, teamModule)).toEqual(decideModuleRead(plain, teamModule));
        expect(decideModuleManage(granted, teamModule)).toEqual(decideModuleManage(plain, teamModule));
      }),
    );
  });

  it('a higher team role may do whatever a lower one may (participant ⊆ member ⊆ manager ⊆ admin)', () => {
    const order: TeamRole[] = ['participant', 'member', 'manager', 'admin'];
    fc.assert(
      fc.property(principalArb, fc.integer({ min: 0, max: 2 }), recordArb, actionArb, requestArb, changeArb, (p, low, record, action, request, change) => {
        const at = (role: TeamRole) => ({ ...p, isOrgAdmin: false, orgRole: 'member' as const, teamRoles: { ...p.teamRoles, 'team-ops': role } });
        const lower = teamDecisions(at(order[low] as TeamRole), record, action, request, change);
        const higher = teamDecisions(at(order[low + 1] as TeamRole), record, action, request, change);
        lower.forEach((d, i) => {
          if (d.allowed) expect(higher[i]?.allowed).toBe(true);
        });
      }),
    );
  });

  it('roles in other teams change nothing about this team', () => {
    fc.assert(
      fc.property(principalArb, roleArb, recordArb, actionArb, requestArb, changeArb, (p, otherRole, record, action, request, change) => {
        const more = { ...p, teamRoles: { ...p.teamRoles, 'team-legal': otherRole, 'team-mkt': otherRole } };
        const own = p.teamRoles['team-ops'];
        const base: Principal = { ...p, teamRoles: own ? { 'team-ops': own } : {} };
        expect(teamDecisions(more, record, action, request, change)).toEqual(teamDecisions(base, record, action, request, change));
      }),
    );
  });

  it('org module decisions do not depend on team roles or requester grants', () => {
    fc.assert(
      fc.property(principalArb, recordArb, actionArb, (p, record, action) => {
        const bare = { ...p, teamRoles: {}, requesterOf: [] };
        expect(decideRecordAccess(p, leads, action, record)).toEqual(decideRecordAccess(bare, leads, action, record));
        expect(decideModuleRead(p, leads)).toEqual(decideModuleRead(bare, leads));
      }),
    );
  });

  it('the brake: once the org admin revoked a team admin, no one but an org admin can make them admin again', () => {
    fc.assert(
      fc.property(principalArb, (p) => {
        const decision = decideMembershipChange(p, 'team-ops', { nextRole: 'admin', adminRevoked: true });
        expect(decision.allowed).toBe(p.isOrgAdmin || p.orgRole === 'admin');
      }),
    );
  });

  it('a team member may change the status only of requests assigned to them, or that they take', () => {
    const member = inTeam('u-1', 'member');
    expect(decideRequestUpdate(member, teamModule, { requesterId: 'u-9', assigneeId: 'u-1' }, { status: true }).allowed).toBe(true);
    expect(decideRequestUpdate(member, teamModule, { requesterId: 'u-9' }, { status: true, assigneeId: 'u-1' }).allowed).toBe(true);
    expect(decideRequestUpdate(member, teamModule, { requesterId: 'u-9' }, { status: true })).toMatchObject({ allowed: false, status: 403 });
    expect(decideRequestUpdate(member, teamModule, { requesterId: 'u-9', assigneeId: 'u-2' }, { assigneeId: 'u-1' })).toMatchObject({ allowed: false, status: 403 });
    expect(decideRequestUpdate(member, teamModule, { requesterId: 'u-9' }, { assigneeId: 'u-2' })).toMatchObject({ allowed: false, status: 403 });
  });
});
