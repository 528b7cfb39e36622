import { failure, success, type Outcome } from '../process/errors.js';
import type { FieldValues } from '../records/field-values.js';
import type { ReviewDecisionBody, ReviewProcessDefinition } from './definition.js';
import type { FieldError } from '../errors.js';

export interface ReviewedField {
  /** The value under review, as it was when the review started. */
  value: unknown;
  accept?: boolean;
  reason?: string;
}

export interface ReviewLogEntry {
  at: string;
  by: string;
  action: 'requested' | 'decided';
  /** Per field: accepted or rejected with the reason. */
  decisions?: Record<string, { accept: boolean; reason?: string }>;
  onBehalfOf?: string;
}

export interface ReviewState {
  id: string;
  processId: string;
  processVersion: number;
  processName: string;
  module: string;
  recordId: string;
  status: 'pending' | 'accepted' | 'rejected';
  fields: Record<string, ReviewedField>;
  reviewerIds: string[];
  createdBy: string;
  createdAt: string;
  decidedAt?: string;
  log: ReviewLogEntry[];
}

export const startReview = (args: {
  id: string;
  processId: string;
  processVersion: number;
  def: ReviewProcessDefinition;
  recordId: string;
  fields: Readonly<FieldValues>;
  createdBy: string;
  reviewerIds: string[];
  now: string;
}): Outcome<ReviewState> => {
  const reviewers = args.reviewerIds.filter((id) => id !== args.createdBy);
  if (reviewers.length === 0) return failure('rule', `The review process "${args.def.name}" has no reviewer for this record`, [{ path: 'reviewers', message: 'Resolves to nobody but the creator' }]);
  return success({
    id: args.id,
    processId: args.processId,
    processVersion: args.processVersion,
    processName: args.def.name,
    module: args.def.module,
    recordId: args.recordId,
    status: 'pending',
    fields: Object.fromEntries(args.def.fields.map((f) => [f, { value: args.fields[f] ?? null }])),
    reviewerIds: reviewers,
    createdBy: args.createdBy,
    createdAt: args.now,
    log: [{ at: args.now, by: args.createdBy, action: 'requested' }],
  });
};

/**
 * A reviewer (or an org admin for them) decides every field under review: accept, or reject with a
 * reason. All accepted → accepted; any rejected → rejected (the creator is told which and why).
 */
export const decideReview = (r: ReviewState, actor: { userId: string; isOrgAdmin: boolean }, body: ReviewDecisionBody, now: string): Outcome<ReviewState> => {
  if (r.status !== 'pending') return failure('conflict', `The review is ${r.status}`);
  const isReviewer = r.reviewerIds.includes(actor.userId);
  if (!isReviewer && !actor.isOrgAdmin) return failure('forbidden', 'You are not a reviewer of this record');
  const errors: FieldError[] = [];
  for (const name of Object.keys(body.fields)) if (!(name in r.fields)) errors.push({ path: `fields.${name}`, message: 'Not a field under review' });
  for (const name of Object.keys(r.fields)) {
    const d = body.fields[name];
    if (!d) errors.push({ path: `fields.${name}`, message: 'Decide this field: accept, or reject with a reason' });
    else if (!d.accept && !d.reason) errors.push({ path: `fields.${name}.reason`, message: 'A rejection needs a reason' });
  }
  if (errors.length > 0) return failure('rule', 'Every field under review needs a decision', errors);
  const decisions = Object.fromEntries(Object.keys(r.fields).map((name) => {
    const d = body.fields[name] as { accept: boolean; reason?: string };
    return [name, { accept: d.accept, ...(d.reason ? { reason: d.reason } : {}) }];
  }));
  const fields = Object.fromEntries(Object.entries(r.fields).map(([name, f]) => [name, { ...f, ...decisions[name] }]));
  const rejected = Object.values(decisions).some((d) => !d.accept);
  return success({
    ...r,
    status: rejected ? 'rejected' : 'accepted',
    fields,
    decidedAt: now,
    log: [...r.log, { at: now, by: actor.userId, action: 'decided', decisions, ...(!isReviewer ? { onBehalfOf: r.reviewerIds[0] as string } : {}) }],
  });
};
