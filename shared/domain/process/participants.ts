import * as z from 'zod';
import type { TeamRole } from '../access/principal.js';
import { UserIdSchema } from '../users/user.js';
import type { FieldError } from '../errors.js';
import { lazySchema } from '../lazy-schema.js';

const Levels = lazySchema(() => z.number().int().min(1).max(10).default(1));
const TeamRoleSchema = lazySchema(() => z.enum(['admin', 'manager', 'member', 'participant']));

/**
 * Who may perform a step or decide an approval: named users, an org role, the record owner, the
 * owner's or submitter's manager (N levels up the `managerId` chain), or a role in a team space.
 */
export const ParticipantSchema = lazySchema(() => z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('user'), userId: UserIdSchema }),
    z.strictObject({ kind: z.literal('orgRole'), role: z.enum(['admin', 'member']) }),
    z.strictObject({ kind: z.literal('owner') }),
    z.strictObject({ kind: z.literal('ownerManager'), levels: Levels }),
    z.strictObject({ kind: z.literal('submitterManager'), levels: Levels }),
    z.strictObject({ kind: z.literal('teamRole'), teamId: z.string().min(1).max(64), role: TeamRoleSchema }),
  ])
  .meta({ id: 'Participant' }));
export type Participant = z.infer<typeof ParticipantSchema>;

/** The people around one record, as loaded by the edge. Chains are nearest manager first. */
export interface PeopleContext {
  ownerId: string;
  ownerManagerChain: readonly string[];
  submitterId?: string;
  submitterManagerChain?: readonly string[];
  /** Members by org role (for `orgRole` participants when resolving to user ids). */
  usersByOrgRole?: Readonly<Record<'admin' | 'member', readonly string[]>>;
  /** Members of the team spaces named by `teamRole` participants: teamId → userId → role. */
  teams?: Readonly<Record<string, Readonly<Record<string, TeamRole>>>>;
}

/** The caller as a process sees them. */
export interface ProcessActor {
  userId: string;
  isOrgAdmin: boolean;
  orgRole: 'admin' | 'member' | 'guest';
  teamRoles: Readonly<Record<string, TeamRole>>;
}

const nth = (chain: readonly string[] | undefined, levels: number): string | undefined => chain?.[levels - 1];

/** Whether `actor` is one of `who` for this record. */
export const isParticipant = (who: readonly Participant[], actor: ProcessActor, people: PeopleContext): boolean =>
  who.some((p) => {
    switch (p.kind) {
      case 'user':
        return p.userId === actor.userId;
      case 'orgRole':
        return p.role === 'admin' ? actor.isOrgAdmin || actor.orgRole === 'admin' : actor.orgRole === 'member' || actor.orgRole === 'admin';
      case 'owner':
        return people.ownerId === actor.userId;
      case 'ownerManager':
        return nth(people.ownerManagerChain, p.levels) === actor.userId;
      case 'submitterManager':
        return nth(people.submitterManagerChain, p.levels) === actor.userId;
      case 'teamRole':
        return actor.teamRoles[p.teamId] === p.role;
    }
  });

/** The user ids `who` names for this record, deduplicated, in order. Unresolvable entries add nobody. */
export const resolveParticipants = (who: readonly Participant[], people: PeopleContext): string[] => {
  const ids: string[] = [];
  for (const p of who) {
    switch (p.kind) {
      case 'user':
        ids.push(p.userId);
        break;
      case 'orgRole':
        ids.push(...(people.usersByOrgRole?.[p.role] ?? []));
        break;
      case 'owner':
        ids.push(people.ownerId);
        break;
      case 'ownerManager': {
        const id = nth(people.ownerManagerChain, p.levels);
        if (id) ids.push(id);
        break;
      }
      case 'submitterManager': {
        const id = nth(people.submitterManagerChain, p.levels);
        if (id) ids.push(id);
        break;
      }
      case 'teamRole':
        ids.push(...Object.entries(people.teams?.[p.teamId] ?? {}).filter(([, role]) => role === p.role).map(([id]) => id));
        break;
    }
  }
  return [...new Set(ids)];
};

/** Each level's approvers for one record: its participants resolved, without the submitter (nobody decides their own request). */
export const resolveLevels = (lists: readonly (readonly Participant[])[], people: PeopleContext, submitterId: string): string[][] =>
  lists.map((who) => resolveParticipants(who, people).filter((id) => id !== submitterId));

/** A level nobody resolves to falls to the org admins (never the submitter), so that the process can still route the record. */
export const withAdminFallback = (levels: readonly string[][], admins: readonly string[], submitterId: string): string[][] =>
  levels.map((ids) => (ids.length > 0 ? ids : admins.filter((id) => id !== submitterId)));

/** What the edge must load to resolve `who`: named users to check, team spaces to read, org roles to list. */
export const participantNeeds = (who: readonly Participant[]) => ({
  userIds: [...new Set(who.flatMap((p) => (p.kind === 'user' ? [p.userId] : [])))],
  teamIds: [...new Set(who.flatMap((p) => (p.kind === 'teamRole' ? [p.teamId] : [])))],
  orgRoles: who.some((p) => p.kind === 'orgRole'),
  maxManagerLevels: Math.max(0, ...who.flatMap((p) => (p.kind === 'ownerManager' || p.kind === 'submitterManager' ? [p.levels] : []))),
});

/** At save: every named user exists, every named team space exists (the definition's "approvers resolve"). */
export const validateParticipants = (
  who: readonly Participant[],
  path: string,
  known: { userIds: ReadonlySet<string>; teamIds: ReadonlySet<string> },
): FieldError[] =>
  who.flatMap((p, i) => {
    if (p.kind === 'user' && !known.userIds.has(p.userId)) return [{ path: `${path}.${i}.userId`, message: `No user ${p.userId}` }];
    if (p.kind === 'teamRole' && !known.teamIds.has(p.teamId)) return [{ path: `${path}.${i}.teamId`, message: `No team space ${p.teamId}` }];
    return [];
  });
