import { Forbidden, NotFound } from '../errors.js';

/**
 * Who is calling, as the verified token says. In AWS the HttpApi JWT authorizer has verified the token
 * and passes its claims; locally the API server verifies the token and passes the same claims. Nothing
 * else is trusted.
 */
export interface AuthContext {
  userId: string;
  email?: string;
  groups: string[];
  isOrgAdmin: boolean;
}

export type OrgRole = 'admin' | 'member' | 'guest';
export type TeamRole = 'admin' | 'manager' | 'member' | 'participant';

/** The caller as the access rules see them: identity from the token, everything else from Keiro's data. */
export interface Principal {
  userId: string;
  /** From the token's `cognito:groups` (contains `admin`). */
  isOrgAdmin: boolean;
  /** From the users directory (a caller who is not in it is refused: see decideInDirectory). */
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

export const NOT_IN_DIRECTORY = "You are not in the organisation's directory: an org admin must add you (POST /v1/users) before you can use Keiro";

/**
 * A valid token is not enough: the caller must be in Keiro's users directory. Org admins (by the
 * token's `admin` group) are the exception, so that they can add the first users to a new directory.
 */
export const decideInDirectory = (inDirectory: boolean, isOrgAdmin: boolean): Decision => (inDirectory || isOrgAdmin ? allow : refuse(NOT_IN_DIRECTORY));

/** Enforces an access decision: Forbidden, or NotFound where existence must not leak. */
export const enforce = (decision: Decision, notFoundDetail = 'Not found'): void => {
  if (decision.allowed) return;
  if (decision.status === 404) throw new NotFound(notFoundDetail);
  throw new Forbidden(decision.reason);
};
