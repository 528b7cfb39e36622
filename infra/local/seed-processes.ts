import type { AppDeps } from '../../shared/adapters/deps.js';
import { ApprovalProcessDefinitionSchema, type ApprovalProcessDefinition } from '../../shared/domain/approval/definition.js';
import { BlueprintDefinitionSchema, type BlueprintDefinition } from '../../shared/domain/blueprint/definition.js';
import { ReviewProcessDefinitionSchema, type ReviewProcessDefinition } from '../../shared/domain/review/definition.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { getDefinition, type ProcessKind } from '../../shared/db/process-definitions-repo.js';
import { approvalSpec, blueprintSpec, reviewSpec, saveValidated } from '../../functions/processes/definitions.js';

/** The demo's process definitions (README "Business processes"): fixed ids; the demo and the tests find them by name. */
export const TRAVEL_BLUEPRINT_ID = '01JDEMOBPR0000000000000001';
export const DISCOUNT_APPROVAL_ID = '01JDEMOAPP0000000000000001';
export const ACCOUNT_REVIEW_ID = '01JDEMOREV0000000000000001';

const owner = [{ kind: 'owner' as const }];
const managerOrAdmin = [{ kind: 'ownerManager' as const, levels: 1 }, { kind: 'orgRole' as const, role: 'admin' as const }];

/**
 * Travel application: the owner performs each step; only the owner's manager (or an org admin) moves it
 * out of Manager Approval. Travel Plan asks destination, departureDate and returnDate (after departure).
 * After-actions create tasks and send emails.
 */
export const TRAVEL_BLUEPRINT: BlueprintDefinition = BlueprintDefinitionSchema.parse({
  name: 'Travel application',
  module: 'TravelApplications',
  field: 'stage',
  entryCriteria: { all: [] },
  initialState: 'Requirements Check',
  states: ['Requirements Check', 'Travel Plan', 'Manager Approval', 'Arrangement', 'Documents Review', 'Completed'],
  transitions: [
    {
      id: 'requirements-checked',
      name: 'Requirements checked',
      from: 'Requirements Check',
      to: 'Travel Plan',
      before: { who: owner },
      after: [{ type: 'createTask', subject: 'Draft the travel plan for {{name}}', assignee: { kind: 'owner' }, dueInDays: 2 }],
    },
    {
      id: 'travel-plan-ready',
      name: 'Travel plan ready',
      from: 'Travel Plan',
      to: 'Manager Approval',
      before: { who: owner },
      during: { fields: [{ name: 'destination' }, { name: 'departureDate' }, { name: 'returnDate', after: 'departureDate' }] },
      after: [
        { type: 'createTask', subject: 'Approve the travel plan for {{name}}', assignee: { kind: 'manager' }, dueInDays: 1 },
        { type: 'sendEmail', to: { kind: 'manager' }, template: { subject: 'Travel plan to approve: {{name}}', text: 'The travel plan for {{name}} ({{destination}}, {{departureDate}} to {{returnDate}}) awaits your approval.' } },
      ],
    },
    {
      id: 'manager-approved',
      name: 'Manager approved',
      from: 'Manager Approval',
      to: 'Arrangement',
      before: { who: managerOrAdmin },
      after: [
        { type: 'createTask', subject: 'Arrange tickets and lodging for {{name}}', assignee: { kind: 'owner' }, dueInDays: 3 },
        { type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 'Travel plan approved: {{name}}', text: 'Your manager approved the travel plan for {{name}}. Please arrange tickets and lodging.' } },
      ],
    },
    {
      id: 'manager-sent-back',
      name: 'Sent back to travel plan',
      from: 'Manager Approval',
      to: 'Travel Plan',
      before: { who: managerOrAdmin },
      during: { note: 'required' },
      after: [{ type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 'Travel plan sent back: {{name}}', text: 'Your manager sent the travel plan for {{name}} back for changes.' } }],
    },
    {
      id: 'arranged',
      name: 'Tickets and lodging arranged',
      from: 'Arrangement',
      to: 'Documents Review',
      before: { who: owner },
      after: [{ type: 'createTask', subject: 'Review the travel documents for {{name}}', assignee: { kind: 'owner' }, dueInDays: 2 }],
    },
    {
      id: 'documents-reviewed',
      name: 'Documents reviewed',
      from: 'Documents Review',
      to: 'Completed',
      before: { who: owner },
      after: [{ type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 'Travel application completed: {{name}}', text: 'Everything is ready for {{name}}. Have a good trip!' } }],
    },
  ],
});

/** A deal created or edited by a member with a discount over 10 % goes to that member's manager (one level, anyone). */
export const DISCOUNT_APPROVAL: ApprovalProcessDefinition = ApprovalProcessDefinitionSchema.parse({
  name: 'Discount over 10%',
  module: 'Deals',
  triggers: { onCreate: true, onEdit: { fields: ['discountPercent'] }, submittedBy: 'members', manual: true },
  criteria: { all: [{ field: 'discountPercent', op: 'gt', value: 10 }] },
  levels: [{ approvers: [{ kind: 'submitterManager', levels: 1 }], rule: 'anyone', sla: { remindAfterHours: 24, escalateAfterHours: 48 } }],
  editableFields: ['closingDate'],
  onApprove: [{ type: 'createTask', subject: 'Send the approved quote for {{name}}', assignee: { kind: 'submitter' }, dueInDays: 1 }],
  onReject: [{ type: 'createTask', subject: 'Rework the discount of {{name}}', assignee: { kind: 'submitter' }, dueInDays: 1 }],
});

/** An account created by a member is reviewed by that member's manager on name, phone and website. */
export const ACCOUNT_REVIEW: ReviewProcessDefinition = ReviewProcessDefinitionSchema.parse({
  name: 'New account review',
  module: 'Accounts',
  triggers: { onCreate: true, submittedBy: 'members' },
  criteria: { all: [] },
  fields: ['name', 'phone', 'website'],
  reviewers: [{ kind: 'submitterManager', levels: 1 }],
});

const seedOne = async <D extends { name: string; module: string }>(
  deps: AppDeps,
  ctx: ChangeContext,
  spec: Parameters<typeof saveValidated<D>>[1],
  kind: ProcessKind,
  id: string,
  def: D,
): Promise<void> => {
  if (await getDefinition(deps, kind, id)) return;
  const module = await getModule(deps, def.module);
  if (!module) throw new Error(`Seed names an unknown module ${def.module}`);
  await saveValidated(deps, spec, module, undefined, id, def, true, ctx);
};

/** Seeds and publishes the demo's blueprint, approval process and review process (validated like any definition). */
export const seedProcesses = async (deps: AppDeps, ctx: ChangeContext): Promise<void> => {
  await seedOne(deps, ctx, blueprintSpec, 'blueprint', TRAVEL_BLUEPRINT_ID, TRAVEL_BLUEPRINT);
  await seedOne(deps, ctx, approvalSpec, 'approval-process', DISCOUNT_APPROVAL_ID, DISCOUNT_APPROVAL);
  await seedOne(deps, ctx, reviewSpec, 'review-process', ACCOUNT_REVIEW_ID, ACCOUNT_REVIEW);
};
