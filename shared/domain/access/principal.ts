export type OrgRole = 'admin' | 'member' | 'guest';
export type TeamRole = 'admin' | 'manager' | 'member' | 'participant';

/** The caller as the access rules see them: identity from the token, everything else from Keiro's data. */
export interface Principal {
  userId: string;
  /** From the token's `cognito:groups` (contains `admin`). */
  isOrgAdmin: boolean;
  /** From the users directory; an unknown user is a guest. */
  orgRole: OrgRole;
  /** The caller's role per team space id. */
  teamRoles: Readonly<Record<string, TeamRole>>;
  /** Team modules the caller is a requester of. */
  requesterOf: readonly string[];
}

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

export const allow: Decision = { allowed: true };
export const refuse = (reason: string): Decision => ({ allowed: false, status: 403, reason });
/** Refuse as if the resource did not exist, where its existence must not leak. */
export const hide = (reason: string): Decision => ({ allowed: false, status: 404, reason });

export const isAdmin = (p: Principal): boolean => p.isOrgAdmin || p.orgRole === 'admin';
