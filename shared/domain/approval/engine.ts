import { failure, success, type Outcome } from '../process/errors.js';
import type { ApprovalLevel, ApprovalProcessDefinition } from './definition.js';
import type { FieldError } from '../errors.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'recalled';

export interface ApprovalHistoryEntry {
  at: string;
  by: string;
  action: 'submitted' | 'approved' | 'rejected' | 'delegated' | 'recalled' | 'reminded' | 'escalated';
  level: number;
  comment?: string;
  /** Delegation target, or the approvers added by an escalation. */
  toUserIds?: string[];
  /** An org admin acted for this approver. */
  onBehalfOf?: string;
}

export interface ApprovalLevelState {
  approverIds: string[];
  rule: ApprovalLevel['rule'];
  approvedBy: string[];
  sla?: ApprovalLevel['sla'];
}

/** One run of an approval process on one record. */
export interface ApprovalState {
  id: string;
  processId: string;
  processVersion: number;
  processName: string;
  module: string;
  recordId: string;
  status: ApprovalStatus;
  /** The current level, 1-based. */
  level: number;
  /** Who may decide the current level now. */
  approverIds: string[];
  levels: ApprovalLevelState[];
  submittedBy: string;
  submittedAt: string;
  levelStartedAt: string;
  /** Changes whenever the level or its approvers change: an SLA timer with another token ends quietly. */
  token: string;
  history: ApprovalHistoryEntry[];
  decidedAt?: string;
}

export interface ApprovalActor {
  userId: string;
  isOrgAdmin: boolean;
}

/**
 * Starts an approval with each level's approvers already resolved (nearest manager etc. by the edge).
 * A level nobody resolves to is a 422: the process cannot route the record.
 */
export const startApproval = (args: {
  id: string;
  processId: string;
  processVersion: number;
  def: ApprovalProcessDefinition;
  recordId: string;
  submittedBy: string;
  resolvedLevels: string[][];
  now: string;
  token: string;
}): Outcome<ApprovalState> => {
  const errors: FieldError[] = args.resolvedLevels.flatMap((ids, i) => (ids.length === 0 ? [{ path: `levels.${i}.approvers`, message: 'Resolves to nobody for this record' }] : []));
  if (errors.length > 0) return failure('rule', `The approval process "${args.def.name}" has no approver for this record`, errors);
  const levels = args.def.levels.map((l, i) => ({ approverIds: args.resolvedLevels[i] ?? [], rule: l.rule, approvedBy: [], ...(l.sla ? { sla: l.sla } : {}) }));
  return success({
    id: args.id,
    processId: args.processId,
    processVersion: args.processVersion,
    processName: args.def.name,
    module: args.def.module,
    recordId: args.recordId,
    status: 'pending',
    level: 1,
    approverIds: levels[0]?.approverIds ?? [],
    levels,
    submittedBy: args.submittedBy,
    submittedAt: args.now,
    levelStartedAt: args.now,
    token: args.token,
    history: [{ at: args.now, by: args.submittedBy, action: 'submitted', level: 1 }],
  });
};

const pending = (a: ApprovalState): Outcome<null> => (a.status === 'pending' ? success(null) : failure('conflict', `The approval is ${a.status}`));

/** The approver the actor acts as: themselves if they are one (and have not approved yet), else an org admin acts for the first who has not. */
const actingFor = (a: ApprovalState, actor: ApprovalActor): Outcome<{ as: string; onBehalf: boolean }> => {
  const level = a.levels[a.level - 1] as ApprovalLevelState;
  const open = a.approverIds.filter((id) => !level.approvedBy.includes(id));
  if (open.includes(actor.userId)) return success({ as: actor.userId, onBehalf: false });
  if (a.approverIds.includes(actor.userId)) return failure('conflict', 'You already approved this level');
  if (actor.isOrgAdmin && open[0]) return success({ as: open[0], onBehalf: true });
  return failure('forbidden', 'You are not an approver of this level');
};

export interface Decision {
  approval: ApprovalState;
  /** The approval ended (approved or rejected) with this decision. */
  final: boolean;
  /** The level changed: new approvers to tell, new SLA timers to set. */
  advanced: boolean;
}

/**
 * An approver (or an org admin for them) approves or rejects. A rejection needs a comment (the
 * submitter is told why). `anyone` settles a level with one approval, `everyone` with all.
 */
export const decideApproval = (a: ApprovalState, actor: ApprovalActor, decision: 'approve' | 'reject', comment: string | undefined, now: string, newToken: string): Outcome<Decision> => {
  const open = pending(a);
  if (!open.ok) return open;
  const acting = actingFor(a, actor);
  if (!acting.ok) return acting;
  const text = comment?.trim();
  if (decision === 'reject' && !text) return failure('rule', 'A rejection needs a comment: the submitter is told why', [{ path: 'comment', message: 'Say why' }]);
  const entry: ApprovalHistoryEntry = {
    at: now,
    by: actor.userId,
    action: decision === 'approve' ? 'approved' : 'rejected',
    level: a.level,
    ...(text ? { comment: text } : {}),
    ...(acting.value.onBehalf ? { onBehalfOf: acting.value.as } : {}),
  };
  const history = [...a.history, entry];
  if (decision === 'reject') return success({ approval: { ...a, status: 'rejected', history, decidedAt: now, token: newToken }, final: true, advanced: false });
  const levels = a.levels.map((l, i) => (i === a.level - 1 ? { ...l, approvedBy: [...l.approvedBy, acting.value.as] } : l));
  const current = levels[a.level - 1] as ApprovalLevelState;
  const settled = current.rule === 'anyone' || a.approverIds.every((id) => current.approvedBy.includes(id));
  if (!settled) return success({ approval: { ...a, levels, history }, final: false, advanced: false });
  const next = levels[a.level];
  if (!next) return success({ approval: { ...a, levels, history, status: 'approved', decidedAt: now, token: newToken }, final: true, advanced: false });
  return success({
    approval: { ...a, levels, history, level: a.level + 1, approverIds: next.approverIds, levelStartedAt: now, token: newToken },
    final: false,
    advanced: true,
  });
};

/** An approver of the current level (or an org admin for them) hands their part to someone else. */
export const delegateApproval = (a: ApprovalState, actor: ApprovalActor, toUserId: string, comment: string | undefined, now: string, newToken: string): Outcome<ApprovalState> => {
  const open = pending(a);
  if (!open.ok) return open;
  const acting = actingFor(a, actor);
  if (!acting.ok) return acting;
  if (a.approverIds.includes(toUserId)) return failure('rule', `${toUserId} is already an approver of this level`, [{ path: 'toUserId', message: 'Already an approver' }]);
  if (toUserId === a.submittedBy) return failure('rule', 'The submitter cannot approve their own request', [{ path: 'toUserId', message: 'The submitter' }]);
  const swap = (ids: string[]) => ids.map((id) => (id === acting.value.as ? toUserId : id));
  const text = comment?.trim();
  return success({
    ...a,
    approverIds: swap(a.approverIds),
    levels: a.levels.map((l, i) => (i === a.level - 1 ? { ...l, approverIds: swap(l.approverIds) } : l)),
    token: newToken,
    history: [...a.history, { at: now, by: actor.userId, action: 'delegated', level: a.level, toUserIds: [toUserId], ...(text ? { comment: text } : {}), ...(acting.value.onBehalf ? { onBehalfOf: acting.value.as } : {}) }],
  });
};

/** The submitter (or an org admin) takes the record back before it is decided. */
export const recallApproval = (a: ApprovalState, actor: ApprovalActor, comment: string | undefined, now: string, newToken: string): Outcome<ApprovalState> => {
  const open = pending(a);
  if (!open.ok) return open;
  if (actor.userId !== a.submittedBy && !actor.isOrgAdmin) return failure('forbidden', 'Only the submitter or an org admin may recall');
  const text = comment?.trim();
  return success({ ...a, status: 'recalled', decidedAt: now, token: newToken, history: [...a.history, { at: now, by: actor.userId, action: 'recalled', level: a.level, ...(text ? { comment: text } : {}) }] });
};

export type SlaKind = 'remind' | 'escalate';

/** The SLA wakes of the current level, from when it started. */
export const slaWakes = (a: ApprovalState): Array<{ kind: SlaKind; wakeAt: string }> => {
  const sla = a.levels[a.level - 1]?.sla;
  if (!sla || a.status !== 'pending') return [];
  const start = new Date(a.levelStartedAt).getTime();
  const at = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
  return [
    ...(sla.remindAfterHours !== undefined ? [{ kind: 'remind' as const, wakeAt: at(sla.remindAfterHours) }] : []),
    ...(sla.escalateAfterHours !== undefined ? [{ kind: 'escalate' as const, wakeAt: at(sla.escalateAfterHours) }] : []),
  ];
};

/**
 * An SLA timer woke. Stale (another token, or decided) → nothing. Remind → a history entry (the edge
 * tells the approvers). Escalate → each approver who has not decided gets their manager added beside them.
 */
export const applySlaWake = (a: ApprovalState, kind: SlaKind, token: string, now: string, managers: Readonly<Record<string, string | undefined>>): Outcome<{ approval: ApprovalState; added: string[] }> => {
  if (a.status !== 'pending' || a.token !== token) return failure('conflict', 'Stale SLA timer');
  if (kind === 'remind') return success({ approval: { ...a, history: [...a.history, { at: now, by: 'system', action: 'reminded', level: a.level, toUserIds: a.approverIds }] }, added: [] });
  const level = a.levels[a.level - 1] as ApprovalLevelState;
  const added = [...new Set(a.approverIds.filter((id) => !level.approvedBy.includes(id)).flatMap((id) => (managers[id] ? [managers[id] as string] : [])))].filter((id) => !a.approverIds.includes(id) && id !== a.submittedBy);
  if (added.length === 0) return success({ approval: a, added });
  // Escalation adds approvers but keeps the token: the escalation happens once per level.
  return success({
    approval: {
      ...a,
      approverIds: [...a.approverIds, ...added],
      levels: a.levels.map((l, i) => (i === a.level - 1 ? { ...l, approverIds: [...l.approverIds, ...added] } : l)),
      history: [...a.history, { at: now, by: 'system', action: 'escalated', level: a.level, toUserIds: added }],
    },
    added,
  });
};
