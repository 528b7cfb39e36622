import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { applySlaWake, type SlaKind } from '../../shared/domain/approval/engine.js';
import { fireAutomatic, type BlueprintDefinition, type TransitionResult } from '../../shared/domain/blueprint/index.js';
import type { TimerRequest, WakeResult } from '../../shared/domain/timers/timer.js';
import { approvalWrites, getApproval, processHistoryPut, writeProcessItems } from '../../shared/db/approvals-repo.js';
import { loadBlueprintVersion } from '../../shared/db/blueprint-versions.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { notificationPuts } from '../../shared/db/notifications-repo.js';
import { getRecord, updateRecord } from '../../shared/db/records-repo.js';
import { getUsers } from '../../shared/db/users-repo.js';
import { transitionedHistory } from './transitions.js';

/** While a record is locked, an automatic transition that is due waits this long and checks again. */
export const LOCKED_RETRY_HOURS = 1;

const systemContext = (timer: TimerRequest, reason: string): ChangeContext => ({ actor: 'system', via: 'blueprint', reason, correlationId: `timer-${timer.kind}-${timer.key}-${timer.token}` });

/**
 * A blueprint automatic transition is due (timer key `<module>#<recordId>#<transitionId>`, token the
 * stay's token; `~n` suffixes mark re-checks of a locked record).
 * 1. Re-read the record: gone, left the state (another token), or already escalated → nothing.
 * 2. Locked by a pending approval/review → check again in an hour (a new token suffix).
 * 3. One write through the records core (channel `transition`): the engine re-checks the stay on the
 *    record as read, moves it (or marks the escalation), and writes blueprint.transitioned, whose
 *    after-actions run from the event. The new state's own automatic transitions get their timers there.
 */
export const blueprintAutoWake = async (deps: AppDeps, timer: TimerRequest): Promise<WakeResult> => {
  const [moduleName, recordId, transitionId] = timer.key.split('#');
  const stayToken = timer.token.split('~')[0] as string;
  if (!moduleName || !recordId || !transitionId) return {};
  const [module, record] = await Promise.all([getModule(deps, moduleName), getRecord(deps, moduleName, recordId)]);
  if (!module || !record?.blueprint || record.blueprint.token !== stayToken) return {};
  const now = deps.clock();
  if (record.lock) return { next: { wakeAt: new Date(now.getTime() + LOCKED_RETRY_HOURS * 3_600_000).toISOString(), token: `${stayToken}~${now.getTime()}` } };
  const ctx = systemContext(timer, 'Automatic transition after its time in state');
  let planned: { def: BlueprintDefinition; result: TransitionResult; binding: { blueprintId: string; version: number } } | undefined;
  await updateRecord(deps, module, recordId, { fields: {} }, ctx, {
    channel: { kind: 'transition', blueprintId: record.blueprint.blueprintId },
    plan: async (current) => {
      planned = undefined;
      if (!current.blueprint) return { fields: {} };
      const def = await loadBlueprintVersion(deps, current.blueprint.blueprintId, current.blueprint.version);
      const outcome = fireAutomatic({ def, fields: current.fields, binding: current.blueprint, transitionId, token: stayToken, now: deps.clock().toISOString(), newToken: deps.newId() });
      if (!outcome.ok) return { fields: {} };
      planned = { def, result: outcome.value, binding: current.blueprint };
      return { fields: outcome.value.patch, blueprint: outcome.value.binding };
    },
    extraItems: (_current, next) => (planned ? [transitionedHistory(deps, planned.def, planned.binding, planned.result, {}, next, ctx, next.updatedAt)] : []),
  });
  if (planned) businessMetric('TransitionsMade', 1, { module: module.name, by: 'timer' });
  return {};
};

/**
 * An approval level's SLA is due (timer key `<approvalId>#<level>#remind|escalate`, token the approval's).
 * 1. Re-read the approval: decided, another level or token → nothing.
 * 2. remind: each approver who has not decided gets an in-app notification, and the approval's history
 *    says so: together, once per level.
 * 3. escalate: the approvers' managers become approvers of the level beside them (once), with
 *    approval.escalated in the record's history (they are told from it).
 */
export const approvalSlaWake = async (deps: AppDeps, timer: TimerRequest): Promise<WakeResult> => {
  const [approvalId, level, kind] = timer.key.split('#') as [string, string, SlaKind];
  const approval = await getApproval(deps, approvalId);
  if (!approval || approval.status !== 'pending' || approval.token !== timer.token || String(approval.level) !== level) return {};
  const now = deps.clock().toISOString();
  const managers = kind === 'escalate' ? Object.fromEntries([...(await getUsers(deps, approval.approverIds)).values()].map((u) => [u.id, u.managerId])) : {};
  const outcome = applySlaWake(approval, kind, timer.token, now, managers);
  if (!outcome.ok) return {};
  const after = outcome.value.approval;
  if (kind === 'remind') {
    // Once per level: the notifications and the "reminded" entry in one transaction, so a decision that
    // wins the race leaves neither (the wake then re-reads a decided approval and ends quietly).
    if (approval.history.some((h) => h.action === 'reminded' && h.level === approval.level)) return {};
    const open = approval.approverIds.filter((id) => !(approval.levels[approval.level - 1]?.approvedBy ?? []).includes(id));
    const notifications = open.flatMap((userId) =>
      notificationPuts(deps, {
        userId,
        eventId: `sla-${approvalId}-${level}-${timer.token}`,
        occurredAt: timer.wakeAt,
        kind: 'approval.reminder',
        title: `Reminder: approval needed — ${approval.processName}`,
        body: `${approval.module} record ${approval.recordId} still awaits your approval (level ${approval.level}).`,
        subject: { type: 'approval', id: approvalId, module: approval.module },
      }),
    );
    await writeProcessItems(deps, [...approvalWrites(deps, approval, after), ...notifications]);
    return {};
  }
  if (outcome.value.added.length === 0) return {};
  const ctx = { ...systemContext(timer, 'Approval SLA ran out'), via: 'approval' as const };
  await writeProcessItems(deps, [
    ...approvalWrites(deps, approval, after),
    processHistoryPut(
      deps,
      approval.module,
      approval.recordId,
      'approval.escalated',
      { module: approval.module, recordId: approval.recordId, approvalId, processId: approval.processId, processName: approval.processName, level: approval.level, submittedBy: approval.submittedBy, approverIds: after.approverIds, addedApproverIds: outcome.value.added },
      ctx,
      now,
      { summary: `Approval "${approval.processName}" escalated to ${outcome.value.added.join(', ')}` },
    ),
  ]);
  return {};
};
