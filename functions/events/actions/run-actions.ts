import type { AppDeps } from '../../../shared/adapters/deps.js';
import { planActions, type Action, type PlannedAction } from '../../../shared/domain/actions/index.js';
import { recordedOutcomes, type ActionOutcome } from '../../../shared/db/action-runs.js';
import type { AutomationRef, ChangeContext, ChangeVia } from '../../../shared/db/history.js';
import { releaseMailClaimTransactItem } from '../../../shared/db/mail-once.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import { transactWrite, type TransactItem } from '../../../shared/db/transact.js';
import { log } from '../../../shared/adapters/telemetry.js';
import type { ActionRecord } from './context.js';
import { loadActionContext } from './context.js';
import { emailEventId, executeAction, type RunScope } from './executors.js';
import type { ActionReads } from './reads.js';

/**
 * An action of a type this version does not know (a definition stored by a newer version, during a
 * rolling deploy or after a rollback): the delivery fails at its turn and is dead-lettered under this
 * name, so an operator reads which action and why, and replays it once the code knows the type.
 */
export class UnknownActionType extends Error {
  constructor(index: number, action: unknown, via: AutomationRef) {
    const type = (action as { type?: unknown } | undefined)?.type;
    super(`Action ${index + 1} of ${via.kind} ${via.id} is of a type this version of Keiro does not know (${JSON.stringify(type ?? null)})`);
    this.name = 'UnknownActionType';
  }
}

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

export interface RunOptions {
  /** What the run reads first, already read by the caller in its own batch (see reads.ts `actionReadKeys`). */
  reads?: ActionReads;
  /**
   * The caller's closing transaction: the run puts its after-the-fact outcomes and email confirmations
   * here instead of writing each, and the caller writes them with its own marks (e.g. a rule's execution
   * log) in one TransactWriteItems. If the run throws, it writes what it has collected first (and
   * releases the claims of emails it did not send), so the retry resumes where it stopped.
   */
  tail?: TransactItem[];
}

/** The default once scope of a run: its source event (which redeliveries share). */
export const onceScopeOf = (input: Pick<RunActionsInput, 'sourceEventId' | 'onceScope'>): string => input.onceScope ?? `event/${input.sourceEventId}`;

/**
 * Runs an automation's actions, idempotent on (sourceEventId, action index).
 * 1. Read the outcomes already recorded for this event (one Query, or the caller's batch): a
 *    redelivery skips what is done.
 * 2. Load the context the remaining actions need (owner, manager, named users) and plan them (pure).
 * 3. Execute each in order through its executor; record writes go through the records core with
 *    `via`, the automation and `depth` in the history entry, with their marker in the same transaction.
 *    With a `tail`, the claims of later emails ride on the record write before them.
 * 4. A transient failure throws after the earlier actions are recorded: the delivery is retried (and
 *    finally dead-lettered), and the retry resumes at the failed action.
 * Returns every action's outcome, in order.
 */
export const runActions = async (deps: AppDeps, input: RunActionsInput, options: RunOptions = {}): Promise<ActionOutcome[]> => {
  const recorded = options.reads?.outcomes ?? (await recordedOutcomes(deps, input.sourceEventId));
  if (input.actions.every((_a, i) => recorded.has(i))) return input.actions.map((_a, i) => recorded.get(i) as ActionOutcome);
  const module = options.reads?.modules.get(input.record.module) ?? (await getModule(deps, input.record.module));
  if (!module) throw new Error(`No module ${input.record.module} for the actions of ${input.via.kind} ${input.via.id}`);
  const context = await loadActionContext(deps, module, input.record, input.actions, input.submitterId, options.reads?.users);
  const planned = planActions(input.actions, context);
  const ctx: ChangeContext = {
    actor: input.actorId,
    via: OWN_VIA.includes(input.via.kind as ChangeVia) ? (input.via.kind as ChangeVia) : 'automation',
    correlationId: input.correlationId ?? input.sourceEventId,
    causationId: input.sourceEventId,
    automation: input.via,
    depth: input.depth,
  };
  const run: RunScope = {
    sourceEventId: input.sourceEventId,
    onceScope: onceScopeOf(input),
    occurredAt: input.occurredAt ?? deps.clock().toISOString(),
    ctx,
    ...(input.resendUnconfirmed ? { resendUnconfirmed: true } : {}),
    ...(options.reads ? { reads: options.reads } : {}),
  };
  if (options.tail) {
    run.tail = options.tail;
    run.claimed = new Map();
    // Only emails this run has not recorded; an operator's replay claims its own (it may take over an abandoned claim).
    // A plan has a hole for an action type this version does not know (a rule stored by a newer one):
    // it fails at its turn, after the actions before it ran, so it is skipped here.
    const emails = planned.filter((a): a is Extract<PlannedAction, { type: 'sendEmail' }> => (a as PlannedAction | undefined)?.type === 'sendEmail' && !recorded.has(a.index));
    run.unclaimed = new Map(input.resendUnconfirmed ? [] : emails.map((a) => [a.index, { eventId: emailEventId(run, a), to: a.to }] as const));
  }
  const outcomes: ActionOutcome[] = [];
  try {
    for (const [index, action] of planned.entries()) {
      if (!action) throw new UnknownActionType(index, input.actions[index], input.via);
      outcomes.push(recorded.get(action.index) ?? (await executeAction(deps, action, run)));
    }
  } catch (error) {
    if (options.tail) await closeAfterFailure(deps, options.tail, run);
    throw error;
  }
  return outcomes;
};

/**
 * Before a failed run's error goes up: write the outcomes and confirmations collected so far, and
 * release the claims of emails it claimed and did not send, so the retry resumes at the failed action
 * and sends those emails. If this write fails too, the retry finds claims unconfirmed (as after a crash).
 */
const closeAfterFailure = async (deps: AppDeps, tail: TransactItem[], run: RunScope): Promise<void> => {
  const items = [...tail, ...[...(run.claimed ?? new Map()).values()].map((mail) => releaseMailClaimTransactItem(deps, mail))];
  tail.length = 0;
  try {
    await transactWrite(deps, items);
  } catch (error) {
    log.error('Could not record a failed run\'s progress', error, {});
  }
};
