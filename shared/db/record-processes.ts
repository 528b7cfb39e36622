import type { AppDeps } from '../adapters/deps.js';
import { startApproval, type ApprovalState } from '../domain/approval/engine.js';
import type { ApprovalProcessDefinition } from '../domain/approval/definition.js';
import { resolveLevels, resolveParticipants, withAdminFallback, type Participant } from '../domain/process/participants.js';
import { triggerFires, type WriteEvent } from '../domain/process/triggers.js';
import type { FieldValues } from '../domain/records/field-values.js';
import { startReview } from '../domain/review/engine.js';
import type { ReviewProcessDefinition } from '../domain/review/definition.js';
import { guardCreate, guardDelete, guardUpdate, type BlueprintBinding, type GuardedRecord, type RecordLock, type WriteChannel } from '../domain/records/write-guards.js';
import { automaticDue } from '../domain/blueprint/engine.js';
import { loadBlueprintVersion } from './blueprint-versions.js';
import { timerTransactItem } from './timers.js';
import { approvalWrites, processHistoryPut, reviewWrites } from './approvals-repo.js';
import type { ChangeContext } from './history.js';
import type { ActiveProcess, ModuleProcesses } from './module-processes-repo.js';
import { loadPeople } from './people.js';
import type { TransactItem } from './transact.js';
import { getUser } from './users-repo.js';
import { orThrow } from '../domain/process/errors.js';

/**
 * The records core's process step, run on every write before its one transaction: the write guards
 * (governed fields 422, locks 423), entering the module's blueprint, and starting the approval or
 * review processes the write triggers (the lock, the approval/review and its history entry are
 * written in the same transaction as the record: a triggered record is never seen unlocked).
 */
export interface ProcessPlan {
  /** Fields the write must also set (the initial state of a record entering its blueprint). */
  setFields: FieldValues;
  /** The record's blueprint binding after the write (unchanged: undefined). */
  blueprint?: BlueprintBinding;
  /** A lock a triggered process puts on the record. */
  lock?: RecordLock;
  items: TransactItem[];
}

export interface ProcessRecord {
  id: string;
  module: string;
  ownerId: string;
  fields: FieldValues;
  createdBy: string;
}

const actorOf = (ctx: ChangeContext) => ({ userId: ctx.actor, isOrgAdmin: ctx.actorIsOrgAdmin === true, overrides: ctx.override === true });

const newBinding = (deps: AppDeps, enters: { blueprintId: string; version: number }, now: string): BlueprintBinding => ({
  blueprintId: enters.blueprintId,
  version: enters.version,
  enteredAt: now,
  parallelDone: [],
  token: deps.newId(),
});

const submitterRole = async (deps: AppDeps, ctx: ChangeContext): Promise<'admin' | 'member' | 'guest'> =>
  ctx.actorIsOrgAdmin ? 'admin' : (ctx.actorOrgRole ?? (await getUser(deps, ctx.actor))?.orgRole ?? 'guest');

/** The actor's manager, when the request read it with the actor (no second read for their own chain). */
const knownManagers = (ctx: ChangeContext) => (ctx.actorManagerId !== undefined ? new Map([[ctx.actor, ctx.actorManagerId]]) : undefined);

/** Resolves who decides: each list of participants for this record; nobody → the org admins. */
const resolveAll = async (deps: AppDeps, lists: readonly (readonly Participant[])[], record: ProcessRecord, ctx: ChangeContext): Promise<string[][]> => {
  const submitterId = ctx.actor;
  const people = await loadPeople(deps, lists.flat(), { ownerId: record.ownerId, submitterId }, knownManagers(ctx));
  const resolved = resolveLevels(lists, people, submitterId);
  if (resolved.every((ids) => ids.length > 0)) return resolved;
  const admins = resolveParticipants([{ kind: 'orgRole', role: 'admin' }], await loadPeople(deps, [{ kind: 'orgRole', role: 'admin' }], { ownerId: record.ownerId }));
  return withAdminFallback(resolved, admins, submitterId);
};

/** Starts an approval of `proc` on the record (a trigger or a manual submission): its writes and the lock. */
export const planApprovalStart = async (
  deps: AppDeps,
  proc: ActiveProcess<ApprovalProcessDefinition>,
  record: ProcessRecord,
  ctx: ChangeContext,
  now: string,
): Promise<{ lock: RecordLock; items: TransactItem[]; approval: ApprovalState }> => {
  const levels = await resolveAll(deps, proc.def.levels.map((l) => l.approvers), record, ctx);
  const approval = orThrow(startApproval({ id: deps.newId(), processId: proc.processId, processVersion: proc.version, def: proc.def, recordId: record.id, submittedBy: ctx.actor, resolvedLevels: levels, now, token: deps.newId() }));
  const lock: RecordLock = { reason: 'approval', approvalId: approval.id, since: now, allowUserIds: [], editableFields: proc.def.editableFields };
  const data = { module: record.module, recordId: record.id, approvalId: approval.id, processId: proc.processId, processName: proc.def.name, level: 1, submittedBy: ctx.actor, approverIds: approval.approverIds };
  const summary = `Submitted for approval "${proc.def.name}" (level 1 of ${proc.def.levels.length}: ${approval.approverIds.join(', ')})`;
  return { lock, approval, items: [...approvalWrites(deps, undefined, approval), processHistoryPut(deps, record.module, record.id, 'approval.requested', data, ctx, now, { summary })] };
};

const planReviewStart = async (deps: AppDeps, proc: ActiveProcess<ReviewProcessDefinition>, record: ProcessRecord, ctx: ChangeContext, now: string): Promise<{ lock: RecordLock; items: TransactItem[] }> => {
  const [reviewerIds] = await resolveAll(deps, [proc.def.reviewers], record, ctx);
  const review = orThrow(startReview({ id: deps.newId(), processId: proc.processId, processVersion: proc.version, def: proc.def, recordId: record.id, fields: record.fields, createdBy: ctx.actor, reviewerIds: reviewerIds ?? [], now }));
  const lock: RecordLock = { reason: 'review', reviewId: review.id, since: now, allowUserIds: review.reviewerIds, editableFields: [] };
  const data = { module: record.module, recordId: record.id, reviewId: review.id, processId: proc.processId, processName: proc.def.name, createdBy: ctx.actor, reviewerIds: review.reviewerIds, fields: proc.def.fields };
  const summary = `Under review "${proc.def.name}" (${proc.def.fields.join(', ')}) by ${review.reviewerIds.join(', ')}`;
  return { lock, items: [...reviewWrites(deps, undefined, review), processHistoryPut(deps, record.module, record.id, 'review.requested', data, ctx, now, { summary })] };
};

/** The first active approval process, else review process, that this write triggers. */
const startTriggered = async (deps: AppDeps, procs: ModuleProcesses, kind: 'create' | 'edit', record: ProcessRecord, changedFields: readonly string[], ctx: ChangeContext, now: string) => {
  const approvals = procs.approvals.filter((p) => p.def.active);
  const reviews = procs.reviews.filter((p) => p.def.active);
  if (approvals.length === 0 && reviews.length === 0) return undefined;
  const needsRole = [...approvals, ...reviews].some((p) => p.def.triggers.submittedBy === 'members');
  const event: WriteEvent = { kind, changedFields, fields: record.fields, at: new Date(now), submitterRole: needsRole ? await submitterRole(deps, ctx) : 'member' };
  const approval = approvals.find((p) => triggerFires(p.def.triggers, p.def.criteria, event));
  if (approval) return planApprovalStart(deps, approval, record, ctx, now);
  const review = reviews.find((p) => triggerFires(p.def.triggers, p.def.criteria, event));
  if (review) return planReviewStart(deps, review, record, ctx, now);
  return undefined;
};

/** A create: the guard, entering the blueprint, and the processes the create triggers. */
export const planCreateProcesses = async (deps: AppDeps, procs: ModuleProcesses, record: ProcessRecord, ctx: ChangeContext, now: string): Promise<ProcessPlan> => {
  const guard = orThrow(guardCreate(procs, record.fields, actorOf(ctx), new Date(now)));
  const fields = { ...record.fields, ...guard.setFields };
  const started = await startTriggered(deps, procs, 'create', { ...record, fields }, Object.keys(fields), ctx, now);
  return {
    setFields: guard.setFields,
    ...(guard.enters ? { blueprint: newBinding(deps, guard.enters, now) } : {}),
    ...(started ? { lock: started.lock } : {}),
    items: started?.items ?? [],
  };
};

/**
 * An update: the guard (lock 423, governed field 422), entering the blueprint, and — when the record
 * is not locked and the write is not the lock holder's — the processes the edit triggers.
 */
export const planUpdateProcesses = async (
  deps: AppDeps,
  procs: ModuleProcesses,
  current: GuardedRecord & ProcessRecord,
  nextFields: FieldValues,
  changedFields: readonly string[],
  ctx: ChangeContext,
  channel: WriteChannel,
  now: string,
): Promise<ProcessPlan> => {
  const guard = orThrow(guardUpdate(procs, current, changedFields, nextFields, actorOf(ctx), channel, new Date(now)));
  const fields = { ...nextFields, ...guard.setFields };
  const bp = procs.blueprint;
  // An org admin's override of the state starts a new stay in it (automatic transitions count from now).
  const overridden = guard.override && bp && current.blueprint && fields[bp.field] !== current.fields[bp.field];
  const blueprint = guard.enters ? newBinding(deps, guard.enters, now) : overridden ? { ...(current.blueprint as BlueprintBinding), enteredAt: now, parallelDone: [], token: deps.newId() } : undefined;
  const started = current.lock || channel.kind === 'lock-holder' || changedFields.length === 0 ? undefined : await startTriggered(deps, procs, 'edit', { ...current, fields }, changedFields, ctx, now);
  return {
    setFields: guard.setFields,
    ...(blueprint ? { blueprint } : {}),
    ...(started ? { lock: started.lock } : {}),
    items: started?.items ?? [],
  };
};

/** A delete: refused while locked, except by the process that holds the lock. */
export const checkDeleteProcesses = (current: GuardedRecord, channel: WriteChannel): void => {
  orThrow(guardDelete(current, channel));
};

/** The shared timer's kind for blueprint automatic transitions (stepfunctions/timer/wake-handlers.ts). */
export const BLUEPRINT_AUTO_TIMER = 'blueprint-auto';

export const blueprintAutoKey = (module: string, recordId: string, transitionId: string): string => `${module}#${recordId}#${transitionId}`;

/**
 * A record starts a stay in a state (it entered the blueprint, moved, was sent back or overridden):
 * one timer per automatic transition out of that state, in the same transaction, with the stay's
 * token (a wake after the record left ends quietly).
 */
export const stayTimerItems = async (deps: AppDeps, record: { module: string; id: string; fields: FieldValues; blueprint?: BlueprintBinding }, now: string, ctx: ChangeContext): Promise<TransactItem[]> => {
  const binding = record.blueprint;
  if (!binding) return [];
  const def = await loadBlueprintVersion(deps, binding.blueprintId, binding.version);
  return automaticDue(def, record.fields, binding, new Date(now))
    .filter((d) => !binding.parallelDone.includes(d.transition.id))
    .map((d) => timerTransactItem(deps.tableName, { kind: BLUEPRINT_AUTO_TIMER, key: blueprintAutoKey(record.module, record.id, d.transition.id), wakeAt: d.wakeAt, token: binding.token }, { occurredAt: now, context: ctx }));
};
