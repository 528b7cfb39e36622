import * as z from 'zod';
import { RecordViewSchema } from './common.js';
import { defineEvent, type EventDefinition } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

const Id = lazySchema(() => z.string().min(1));

const RecordRef = { module: Id, recordId: Id };

export const blueprintTransitioned = defineEvent({
  name: 'blueprint.transitioned',
  version: 1,
  description:
    'A blueprint transition was performed on a record (by a person, or automatically after a time in state). `moved` is false while a parallel group is incomplete and for escalations. After-actions run from this event.',
  schema: lazySchema(() => z.object({
    ...RecordRef,
    blueprintId: Id,
    blueprintName: z.string(),
    blueprintVersion: z.number().int().min(1),
    transitionId: Id,
    transitionName: z.string(),
    kind: z.enum(['normal', 'common', 'parallel', 'automatic']),
    from: z.string(),
    to: z.string(),
    moved: z.boolean(),
    escalated: z.boolean(),
    note: z.string().optional(),
    checklist: z.array(z.string()),
    /** The fields the transition asked for, as given (absent when it asked none). */
    fields: z.record(z.string(), z.unknown()).optional(),
    record: RecordViewSchema,
  })),
});

const ApprovalBase = {
  ...RecordRef,
  approvalId: Id,
  processId: Id,
  processName: lazySchema(() => z.string()),
  level: lazySchema(() => z.number().int().min(1)),
  submittedBy: Id,
};

export const approvalRequested = defineEvent({
  name: 'approval.requested',
  version: 1,
  description: 'A record awaits approval at `level` from `approverIds` (on submission, and again for each next level). The record is locked.',
  schema: lazySchema(() => z.object({ ...ApprovalBase, approverIds: z.array(Id) })),
});

export const approvalDecided = defineEvent({
  name: 'approval.decided',
  version: 1,
  description: 'An approval ended: approved (all levels) or rejected (with the comment the submitter is told). The record is unlocked; the process actions run from this event.',
  schema: lazySchema(() => z.object({ ...ApprovalBase, status: z.enum(['approved', 'rejected']), decidedBy: Id, onBehalfOf: Id.optional(), comment: z.string().optional(), record: RecordViewSchema })),
});

export const approvalEscalated = defineEvent({
  name: 'approval.escalated',
  version: 1,
  description: "A level's SLA ran out: the approvers' managers were added as approvers (`addedApproverIds`).",
  schema: lazySchema(() => z.object({ ...ApprovalBase, approverIds: z.array(Id), addedApproverIds: z.array(Id) })),
});

export const approvalRecalled = defineEvent({
  name: 'approval.recalled',
  version: 1,
  description: 'The submitter (or an org admin) recalled a pending approval; the record is unlocked.',
  schema: lazySchema(() => z.object({ ...ApprovalBase, recalledBy: Id, comment: z.string().optional() })),
});

const ReviewBase = { ...RecordRef, reviewId: Id, processId: Id, processName: lazySchema(() => z.string()), createdBy: Id };

export const reviewRequested = defineEvent({
  name: 'review.requested',
  version: 1,
  description: 'A record awaits review of `fields` by `reviewerIds`; it is locked for everyone else and kept out of automations until decided.',
  schema: lazySchema(() => z.object({ ...ReviewBase, reviewerIds: z.array(Id), fields: z.array(z.string()) })),
});

export const reviewDecided = defineEvent({
  name: 'review.decided',
  version: 1,
  description: 'A reviewer decided every field (accepted, or rejected with a reason the creator is told). The record is unlocked.',
  schema: lazySchema(() => z.object({
    ...ReviewBase,
    status: z.enum(['accepted', 'rejected']),
    decidedBy: Id,
    decisions: z.record(z.string(), z.object({ accept: z.boolean(), reason: z.string().optional() })),
  })),
});

export const processDefinitionSaved = defineEvent({
  name: 'process-definition.saved',
  version: 1,
  description: 'A blueprint, approval process or review process was created, saved or published (`published`).',
  schema: lazySchema(() => z.object({
    kind: z.enum(['blueprint', 'approval-process', 'review-process']),
    id: Id,
    module: Id,
    name: z.string(),
    revision: z.number().int().min(1),
    publishedVersion: z.number().int().min(0),
    published: z.boolean(),
  })),
});

export const processEvents: readonly EventDefinition[] = [
  blueprintTransitioned,
  approvalRequested,
  approvalDecided,
  approvalEscalated,
  approvalRecalled,
  reviewRequested,
  reviewDecided,
  processDefinitionSaved,
];
