import * as z from 'zod';

/** Team and request events: shared parts of their `data`. */
export const TeamRoleSchema = z.enum(['admin', 'manager', 'member', 'participant']);
export const RequestStatusSchema = z.enum(['Submitted', 'In Progress', 'Done', 'Rejected']);

/** `data` of every request.* event (shared/db/requests-repo.ts `RequestEventData`). */
export const RequestEventDataSchema = z.object({
  requestId: z.string().min(1),
  module: z.string().min(1),
  teamId: z.string().min(1),
  requesterId: z.string().min(1),
  /** What names the request to people: its first text field, else "<module label> request". */
  title: z.string(),
  status: RequestStatusSchema,
  previousStatus: RequestStatusSchema.optional(),
  assigneeId: z.string().min(1).optional(),
  previousAssigneeId: z.string().min(1).optional(),
  comment: z.string().optional(),
});

/** `data` of the team.member-* and team.admin-revoked events. */
export const MembershipEventDataSchema = z.object({
  teamId: z.string().min(1),
  userId: z.string().min(1),
  role: TeamRoleSchema.optional(),
  previousRole: TeamRoleSchema.nullable().optional(),
});

/** `data` of the team.requester-* events. */
export const RequesterEventDataSchema = z.object({ teamId: z.string().min(1), module: z.string().min(1), userId: z.string().min(1) });
