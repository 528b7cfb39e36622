import type { AppDeps } from '../../../shared/adapters/deps.js';
import { planActions, type Action } from '../../../shared/domain/actions/index.js';
import { recordedOutcomes, type ActionOutcome } from '../../../shared/db/action-runs.js';
import type { AutomationRef, ChangeContext, ChangeVia } from '../../../shared/db/history.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import type { ActionRecord } from './context.js';
import { loadActionContext } from './context.js';
import { executeAction } from './executors.js';

/** Automation kinds whose writes show under their own `via`; every other kind shows as `automation`. */
const OWN_VIA: readonly ChangeVia[] = ['blueprint', 'approval', 'review', 'journey', 'cadence', 'kiosk', 'wizard', 'conversion'];

export interface RunActionsInput {
  /** The event the actions answer: with the action index, the idempotency key. */
  sourceEventId: string;
  /**
   * Where an action that creates something counts as done (RunsSchema): e.g. `journey/<instance>/<state>`,
   * `blueprint/<id>/<record>/<transition>`, `rule/<id>/<record change>`. By default the source event,
   * which redeliveries already share.
   */
  onceScope?: string;
  /** When the source event happened (notifications are dated by it). */
  occurredAt?: string;
  /** Which automation runs them (kind: `workflow-rule`, `blueprint`, `approval`…; id; name). */
  via: AutomationRef;
  /** The depth of the writes these actions make: the source event's depth + 1. */
  depth: number;
  /** Who the writes are attributed to (the automation's owner, or `system`). */
  actorId: string;
  /** The record the actions act on, as the source event carried it. */
  record: ActionRecord;
  actions: readonly Action[];
  /** Who submitted what the automation acts on, for `submitter` recipients. */
  submitterId?: string;
  correlationId?: string;
  /**
   * The source event is an operator's replay of its dead letter: an email an earlier delivery claimed
   * and never confirmed (it crashed mid-send) is then sent (shared/db/mail-once.ts). Only a person decides that.
   */
  resendUnconfirmed?: boolean;
}

/**
 * Runs an automation's actions, idempotent on (sourceEventId, action index).
 * 1. Read the outcomes already recorded for this event (one Query): a redelivery skips what is done.
 * 2. Load the context the remaining actions need (owner, manager, named users) and plan them (pure).
 * 3. Execute each in order through its executor; record writes go through the records core with
 *    `via`, the automation and `depth` in the history entry, with their marker in the same transaction.
 * 4. A transient failure throws after the earlier actions are recorded: the delivery is retried (and
 *    finally dead-lettered), and the retry resumes at the failed action.
 * Returns every action's outcome, in order.
 */
export const runActions = async (deps: AppDeps, input: RunActionsInput): Promise<ActionOutcome[]> => {
  const recorded = await recordedOutcomes(deps, input.sourceEventId);
  if (input.actions.every((_a, i) => recorded.has(i))) return input.actions.map((_a, i) => recorded.get(i) as ActionOutcome);
  const module = await getModule(deps, input.record.module);
  if (!module) throw new Error(`No module ${input.record.module} for the actions of ${input.via.kind} ${input.via.id}`);
  const context = await loadActionContext(deps, module, input.record, input.actions, input.submitterId);
  const planned = planActions(input.actions, context);
  const ctx: ChangeContext = {
    actor: input.actorId,
    via: OWN_VIA.includes(input.via.kind as ChangeVia) ? (input.via.kind as ChangeVia) : 'automation',
    correlationId: input.correlationId ?? input.sourceEventId,
    causationId: input.sourceEventId,
    automation: input.via,
    depth: input.depth,
  };
  const run = { sourceEventId: input.sourceEventId, onceScope: input.onceScope ?? `event/${input.sourceEventId}`, occurredAt: input.occurredAt ?? deps.clock().toISOString(), ctx, ...(input.resendUnconfirmed ? { resendUnconfirmed: true } : {}) };
  const outcomes: ActionOutcome[] = [];
  for (const action of planned) {
    outcomes.push(recorded.get(action.index) ?? (await executeAction(deps, action, run)));
  }
  return outcomes;
};
