import * as z from 'zod';
import { lazySchema } from '../../domain/lazy-schema.js';

/** Team and request events: shared parts of their `data`. */
export const TeamRoleSchema = lazySchema(() => z.enum(['admin', 'manager', 'member', 'participant']));
export const RequestStatusSchema = lazySchema(() => z.enum(['Submitted', 'In Progress', 'Done', 'Rejected']));

/** `data` of every request.* event (shared/db/requests-repo.ts `RequestEventData`). */
export const RequestEventDataSchema = lazySchema(() => z.object({
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
}));

/** `data` of the team.member-* and team.admin-revoked events. */
export const MembershipEventDataSchema = lazySchema(() => z.object({
  teamId: z.string().min(1),
  userId: z.string().min(1),
  role: TeamRoleSchema.optional(),
  previousRole: TeamRoleSchema.nullable().optional(),
}));

/** `data` of the team.requester-* events. */
export const RequesterEventDataSchema = lazySchema(() => z.object({ teamId: z.string().min(1), module: z.string().min(1), userId: z.string().min(1) }));
