import * as z from 'zod';
import { AssignmentRulesSchema } from '../../shared/domain/teams/assignment.js';
import { ModuleDefinitionSchema, ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { TeamIdSchema, TeamRoleSchema, TeamSpaceInputSchema, TeamTabsSchema } from '../../shared/domain/teams/team-space.js';
import { UserIdSchema } from '../../shared/domain/users/user.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const TeamParams = lazySchema(() => z.object({ id: TeamIdSchema }));
export const MemberParams = lazySchema(() => z.object({ id: TeamIdSchema, userId: UserIdSchema }));
export const TeamModuleParams = lazySchema(() => z.object({ module: ModuleNameSchema }));
export const RequesterParams = lazySchema(() => z.object({ module: ModuleNameSchema, userId: UserIdSchema }));

export const MemberSchema = lazySchema(() => z
  .object({
    userId: z.string(),
    role: TeamRoleSchema,
    adminRevoked: z.object({ by: z.string(), at: z.iso.datetime() }).optional().meta({ description: 'The org admin revoked their team admin rights; only an org admin may restore them' }),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TeamMember' }));

export const TabSchema = lazySchema(() => z.object({ module: z.string(), label: z.string(), kind: z.enum(['org', 'team']) }));

export const TeamSpaceSchema = lazySchema(() => z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    tabs: z.array(TabSchema).meta({ description: 'Org modules the team works with, then its own team modules' }),
    members: z.array(MemberSchema),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TeamSpace' }));

export const TeamSpaceSummarySchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  role: TeamRoleSchema.optional().meta({ description: "The caller's role (absent for an org admin outside the team)" }),
}));
export const TeamSpacePageSchema = lazySchema(() => z.object({ items: z.array(TeamSpaceSummarySchema), nextCursor: z.string().optional() }));

export const CreateTeamSpaceBody = lazySchema(() => TeamSpaceInputSchema.meta({ id: 'CreateTeamSpace' }));
export const SetMemberBody = lazySchema(() => z.strictObject({ role: TeamRoleSchema }).meta({ id: 'SetTeamMember' }));
export const SetTabsBody = lazySchema(() => z.strictObject({ tabs: TeamTabsSchema }));

/** A team module: name, label and the team's fields (the request system fields are added by Keiro). */
export const CreateTeamModuleBody = lazySchema(() => z
  .strictObject({ name: ModuleNameSchema, label: ModuleDefinitionSchema.shape.label, fields: ModuleDefinitionSchema.shape.fields })
  .meta({ id: 'CreateTeamModule' }));

export const RequesterSchema = lazySchema(() => z.object({ userId: z.string(), module: z.string(), createdAt: z.iso.datetime(), createdBy: z.string() }));
export const RequesterListSchema = lazySchema(() => z.object({ items: z.array(RequesterSchema), nextCursor: z.string().optional() }));

export const AssignmentRulesViewSchema = lazySchema(() => z.object({ module: z.string(), assignment: AssignmentRulesSchema, version: z.number().int() }).meta({ id: 'AssignmentRulesView' }));
/** PUT takes what GET answers (its `assignment`; module and version are read-only) or the rules flat. */
export const AssignmentRulesBody = lazySchema(() => wrappedDefinitionBody(AssignmentRulesSchema, AssignmentRulesViewSchema, 'assignment'));
