import type { AppDeps } from '../../shared/adapters/deps.js';
import type { ApprovalProcessDefinition } from '../../shared/domain/approval/definition.js';
import type { FieldValue } from '../../shared/domain/records/field-values.js';
import { getApproval } from '../../shared/db/approvals-repo.js';
import { loadBlueprintVersion } from '../../shared/db/blueprint-versions.js';
import { getDefinitionVersion } from '../../shared/db/process-definitions-repo.js';
import { approvalDecided, blueprintTransitioned } from '../../shared/events/catalog/processes.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { isReplay } from '../../shared/events/replay.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { runActions } from './actions/run-actions.js';

export const PROCESS_ACTIONS = 'process-actions';

type EventRecord = { id: string; module: string; ownerId: string; fields: Record<string, unknown> };
const actionRecord = (r: EventRecord) => ({ id: r.id, module: r.module, ownerId: r.ownerId, fields: r.fields as Record<string, FieldValue> });

/**
 * After-actions of blueprint transitions and the actions of approval decisions, from their events
 * (never inside the command's transaction), through the one action library.
 * 1. blueprint.transitioned: the transition's `after` in the version the record ran on.
 *    approval.decided: the process version's onApprove or onReject (the submitter is the approval's).
 * 2. runActions: idempotent on (event id, action index) — a redelivered event repeats nothing — and an
 *    action that creates something runs once per (blueprint, record, transition) or (process, record,
 *    decision) unless it says `runs: everyTime` (a record sent back and moved again gets no second task); its
 *    writes go through the records core with `via`, the automation and depth + 1, so they obey the
 *    same guards as anyone's (a governed field stays 422, a locked record 423).
 */
export const handleProcessActions = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const meta = event.detail.metadata;
  const base = { sourceEventId: eventIdOf(event), occurredAt: meta.occurredAt, depth: (meta.depth ?? 0) + 1, correlationId: meta.correlationId, resendUnconfirmed: isReplay(event) };
  if (event['detail-type'] === blueprintTransitioned.name) {
    const d = blueprintTransitioned.schema.parse(event.detail.data);
    const def = await loadBlueprintVersion(deps, d.blueprintId, d.blueprintVersion);
    const transition = def.transitions.find((t) => t.id === d.transitionId);
    if (!transition || transition.after.length === 0) return;
    await runActions(deps, { ...base, onceScope: `blueprint/${d.blueprintId}/${d.record.id}/${transition.id}`, via: { kind: 'blueprint', id: d.blueprintId, name: `${def.name}: ${transition.name}` }, actorId: meta.actor, record: actionRecord(d.record), actions: transition.after, submitterId: meta.actor });
    return;
  }
  if (event['detail-type'] === approvalDecided.name) {
    const d = approvalDecided.schema.parse(event.detail.data);
    const approval = await getApproval(deps, d.approvalId);
    if (!approval) return;
    const version = await getDefinitionVersion<ApprovalProcessDefinition>(deps, 'approval-process', d.processId, approval.processVersion);
    const actions = d.status === 'approved' ? version?.def.onApprove : version?.def.onReject;
    if (!actions || actions.length === 0) return;
    await runActions(deps, { ...base, onceScope: `approval/${d.processId}/${d.record.id}/${d.status}`, via: { kind: 'approval', id: d.processId, name: d.processName }, actorId: meta.actor, record: actionRecord(d.record), actions, submitterId: d.submittedBy });
  }
};

/** Idempotent by its own marks (no claim and finish per delivery): runActions records each action's outcome (with a record write, in its transaction), once marker and email claim. */
export const processActions: EventConsumer = { name: PROCESS_ACTIONS, handle: handleProcessActions, idempotency: 'own-marks' };
