import { allow, hide, isAdmin, refuse, type Decision, type Principal, type TeamRole } from './principal.js';

export type RecordAction = 'read' | 'list' | 'create' | 'update' | 'delete';

/** What the rules need to know about the module of a record. */
export interface ModuleScope {
  name: string;
  /** Set for team modules: the team space that owns the module. */
  ownerTeamId?: string;
}

/** What the rules need to know about one record (absent for list/create, and for module-level questions). */
export interface RecordScope {
  ownerId: string;
  /** The owner's managers, nearest first (the `managerId` chain). */
  ownerManagerChain: readonly string[];
}

/**
 * Org modules (infra/local/README.md, "The demo's users": who may do what):
 * admin: everything; member: read all, create, update/delete records they own or that someone below
 * them in the manager chain owns; guest: nothing, and the module does not exist for them (404).
 */
const orgModuleRecord = (p: Principal, action: RecordAction, record?: RecordScope): Decision => {
  if (isAdmin(p)) return allow;
  if (p.orgRole !== 'member') return hide('Guests have no access to org modules');
  if (action === 'read' || action === 'list' || action === 'create') return allow;
  // Without a record this asks "may they change some records of this module?": the record check follows.
  if (!record) return allow;
  if (record.ownerId === p.userId || record.ownerManagerChain.includes(p.userId)) return allow;
  return refuse('Only the owner, their managers or an admin may change this record');
};

const TEAM_RECORD_RIGHTS: Record<TeamRole, readonly RecordAction[]> = {
  admin: ['read', 'list', 'create', 'update', 'delete'],
  manager: ['read', 'list', 'create', 'update', 'delete'],
  member: ['read', 'list', 'create', 'update'],
  participant: ['read', 'list'],
};

/**
 * Team modules: visible only to the team's members, by role. Requesters and outsiders get 404:
 * they must not learn that the module's records exist. Members may update only what they own.
 */
const teamModuleRecord = (p: Principal, teamId: string, action: RecordAction, record?: RecordScope): Decision => {
  if (isAdmin(p)) return allow;
  const role = p.teamRoles[teamId];
  if (!role) return hide('Team module records are visible to the team only');
  if (!TEAM_RECORD_RIGHTS[role].includes(action)) return refuse(`A team ${role} may not ${action} records of this module`);
  if (role === 'member' && action === 'update' && record && record.ownerId !== p.userId) {
    return refuse('A team member may update only records they own');
  }
  return allow;
};

export const decideRecordAccess = (p: Principal, module: ModuleScope, action: RecordAction, record?: RecordScope): Decision =>
  module.ownerTeamId ? teamModuleRecord(p, module.ownerTeamId, action, record) : orgModuleRecord(p, action, record);

/** Who may see a module's metadata at all. */
export const decideModuleRead = (p: Principal, module: ModuleScope): Decision => {
  if (isAdmin(p)) return allow;
  if (module.ownerTeamId) {
    return p.teamRoles[module.ownerTeamId] ? allow : hide('Team modules are visible to the team only');
  }
  return p.orgRole === 'member' ? allow : hide('Guests have no access to org modules');
};

/** Creating custom org modules and changing org module metadata: org admins only. */
export const decideOrgMetadataChange = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('Only an org admin may change module metadata'));

/** Erasing a record's personal data (the right to be forgotten) is the org admin's alone. */
export const decideErasure = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('Only an org admin may erase personal data'));

/** Who may give a record to another owner: admins anyone; members themselves or someone below them. */
export const decideOwnerAssignment = (p: Principal, newOwnerId: string, newOwnerManagerChain: readonly string[]): Decision => {
  if (isAdmin(p)) return allow;
  if (newOwnerId === p.userId || newOwnerManagerChain.includes(p.userId)) return allow;
  return refuse('You may assign records only to yourself or to people who report to you');
};

/** Changing a module's fields and picklists: org admin for org modules; the owning team's admin for team modules. */
export const decideModuleManage = (p: Principal, module: ModuleScope): Decision => {
  if (isAdmin(p)) return allow;
  if (module.ownerTeamId) {
    const role = p.teamRoles[module.ownerTeamId];
    if (!role) return hide('Team modules are visible to the team only');
    return role === 'admin' ? allow : refuse('Only a team admin may manage this module');
  }
  // A guest does not see org modules at all: refusing with 403 would tell them the module exists.
  if (p.orgRole !== 'member') return hide('Guests have no access to org modules');
  return refuse('Only an org admin may change module metadata');
};
