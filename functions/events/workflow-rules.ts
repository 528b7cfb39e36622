import { businessMetric } from '../../shared/adapters/metrics.js';
import * as z from 'zod';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { TimerRequest, WakeResult } from '../../shared/domain/timers/timer.js';
import { timerExecutionName } from '../../shared/domain/timers/timer.js';
import { dateTriggerWakeAt, decideRules, type RuleDecision, type RuleEvent, type WorkflowRule } from '../../shared/domain/workflow/index.js';
import type { FieldValue } from '../../shared/domain/records/field-values.js';
import { recordCreated, recordUpdated } from '../../shared/events/catalog/index.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { isReplay } from '../../shared/events/replay.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { getRecord } from '../../shared/db/records-repo.js';
import { batchGet } from '../../shared/db/query.js';
import type { Key } from '../../shared/db/keys.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { scheduleTimer } from '../../shared/db/timers.js';
import { executionKey, getRule, logExecution, rulesForModule } from '../../shared/db/workflow-rules-repo.js';
import { onceScopeOf, runActions, type RunActionsInput } from './actions/run-actions.js';
import { actionReadKeys, actionReadsFrom } from './actions/reads.js';
import type { ActionRecord } from './actions/context.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const WORKFLOW_RULES = 'workflow-rules';
/** The shared timer's kind for date triggers (stepfunctions/timer/wake-handlers.ts). */
export const DATE_RULE_TIMER = 'workflow-rule-date';

/** `data` of a process event, as far as rules need it (blueprint and approval events carry the record). */
const ProcessEventData = lazySchema(() => z.object({ module: z.string().min(1), recordId: z.string().min(1) }).loose());

interface Source {
  eventId: string;
  eventName: string;
  occurredAt: string;
  correlationId: string;
  submitterId?: string;
  /** An operator's replay of the event's dead letter (see RunActionsInput.resendUnconfirmed). */
  replay?: boolean;
}

/** The actions run of a decision to run (idempotent on the source event, rule and action index), at depth + 1, as the rule. */
const actionsInput = (rule: WorkflowRule, record: ActionRecord, source: Source, depth: number): RunActionsInput => ({
  sourceEventId: `${source.eventId}.${rule.id}`,
  // Creating actions run once per (rule, record change): the change is the source event.
  onceScope: `rule/${rule.id}/${source.eventId}`,
  occurredAt: source.occurredAt,
  via: { kind: 'workflow-rule', id: rule.id, name: rule.name },
  depth: depth + 1,
  actorId: rule.createdBy,
  record,
  actions: rule.actions,
  ...(source.submitterId ? { submitterId: source.submitterId } : {}),
  correlationId: source.correlationId,
  ...(source.replay ? { resendUnconfirmed: true } : {}),
});

const keyId = (k: Key) => `${k.PK}\u0000${k.SK}`;
const distinct = (keys: Key[]): Key[] => [...new Map(keys.map((k) => [keyId(k), k])).values()];

/**
 * Carries out the decisions about one event, each rule once.
 * 1. One strongly consistent BatchGetItem: each rule's execution log entry for this event (the rule's
 *    mark: logged → done before, skip it) and what each run's actions read first (outcomes recorded,
 *    once markers, users, modules; actions/reads.ts).
 * 2. Each rule: run → the actions (refused / criteria not met → nothing done); the claims of its emails
 *    ride on its record write, and its after-the-fact outcomes and email confirmations are collected.
 * 3. Log the execution (what happened or why not) in one transaction with what was collected.
 */
const carryOut = async (deps: AppDeps, decisions: readonly RuleDecision[], record: ActionRecord, source: Source, depth: number): Promise<void> => {
  const runs = decisions.map((decision) => {
    const input = decision.outcome === 'run' ? actionsInput(decision.rule, record, source, depth) : undefined;
    const reads = input && { sourceEventId: input.sourceEventId, onceScope: onceScopeOf(input), record, actions: input.actions, ...(input.submitterId ? { submitterId: input.submitterId } : {}) };
    return { decision, input, reads, logged: executionKey(decision.rule.id, source.eventId, source.occurredAt) };
  });
  if (runs.length === 0) return;
  const items = await batchGet<Record<string, unknown> & Key>(deps, distinct(runs.flatMap((r) => [r.logged, ...(r.reads ? actionReadKeys(r.reads) : [])])), true);
  const found = new Set(items.map(keyId));
  for (const { decision, input, reads, logged } of runs) {
    if (found.has(keyId(logged))) continue;
    const { rule } = decision;
    const tail: TransactItem[] = [];
    const outcomes = input && reads ? await runActions(deps, input, { reads: actionReadsFrom(deps, reads, items), tail }) : [];
    if (decision.outcome === 'run') {
      businessMetric('RuleRuns', 1, { module: rule.module });
      if (outcomes.some((o) => o.status !== 'done')) businessMetric('RuleRunFailures', 1, { module: rule.module });
    }
    await logExecution(
      deps,
      {
        sourceOccurredAt: source.occurredAt,
        ctx: { actor: rule.createdBy, via: 'automation', correlationId: source.correlationId, causationId: source.eventId, automation: { kind: 'workflow-rule', id: rule.id, name: rule.name } },
        data: {
          ruleId: rule.id,
          name: rule.name,
          module: rule.module,
          version: rule.version,
          sourceEventId: source.eventId,
          sourceEvent: source.eventName,
          record: { module: record.module, id: record.id },
          outcome: decision.outcome === 'run' ? 'ran' : decision.outcome,
          ...(decision.outcome !== 'run' ? { reason: decision.reason } : {}),
          depth,
          actions: outcomes.map(({ replayed: _r, ...o }) => o),
        },
      },
      tail,
    );
  }
};

/** The timer of a date trigger for one record: keyed by (rule, record), its token the date and the timing. */
const dateTimer = (rule: WorkflowRule, record: ActionRecord): TimerRequest | undefined => {
  if (rule.trigger.type !== 'dateReached' || !rule.active) return undefined;
  const value = record.fields[rule.trigger.field];
  const wakeAt = dateTriggerWakeAt(rule.trigger, value);
  if (!wakeAt) return undefined;
  return { kind: DATE_RULE_TIMER, key: `${rule.id}#${record.module}#${record.id}`, wakeAt, token: `${String(value)}|${rule.trigger.offsetDays}|${rule.trigger.atUtc}` };
};

/**
 * On a record or process event: the module's workflow rules.
 * 1. Load the module's rules (one Query, remembered per container for RULES_STALENESS_MS); none → done.
 * 2. Record events: for each date-trigger rule whose date field is set or changed, schedule the
 *    shared timer (named after rule, record and date: a redelivery schedules nothing new; a past date
 *    is not scheduled).
 * 3. Decide purely which rules act (trigger, depth limit, criteria) and carry each out, logging it.
 * Idempotent by its own marks (`own-marks`: no claim and finish per delivery): each rule's execution log
 * entry per event, each action's outcome, once marker and email claim (see carryOut, runActions).
 */
export const handleRuleEvent = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const name = event['detail-type'];
  const { metadata } = event.detail;
  const depth = metadata.depth ?? 0;
  let record: ActionRecord;
  let changes: RuleEvent['changes'] = [];
  if (name === recordCreated.name || name === recordUpdated.name) {
    const data = (name === recordCreated.name ? recordCreated : recordUpdated).schema.parse(event.detail.data);
    record = { id: data.recordId, module: data.module, ownerId: data.record.ownerId, fields: data.record.fields };
    changes = data.changes;
  } else {
    const data = ProcessEventData.parse(event.detail.data);
    const current = await getRecord(deps, data.module, data.recordId);
    if (!current) return;
    record = { id: current.id, module: current.module, ownerId: current.ownerId, fields: current.fields };
  }
  const rules = await rulesForModule(deps, record.module);
  if (rules.length === 0) return;
  if (name === recordCreated.name || name === recordUpdated.name) {
    for (const rule of rules) {
      const timer = rule.trigger.type === 'dateReached' && changes.some((c) => c.field === (rule.trigger as { field: string }).field) ? dateTimer(rule, record) : undefined;
      if (timer && Date.parse(timer.wakeAt) > deps.clock().getTime()) await scheduleTimer(deps, timer);
    }
  }
  const source: Source = { eventId: eventIdOf(event), eventName: name, occurredAt: metadata.occurredAt, correlationId: metadata.correlationId, submitterId: metadata.actor, replay: isReplay(event) };
  await carryOut(deps, decideRules(rules, { name, module: record.module, fields: record.fields as Record<string, FieldValue>, changes, depth, at: new Date(metadata.occurredAt) }), record, source, depth);
};

export const workflowRulesConsumer: EventConsumer = { name: WORKFLOW_RULES, handle: handleRuleEvent, idempotency: 'own-marks' };

/**
 * The date trigger's wake handler (timer kind `workflow-rule-date`).
 * 1. Re-read the rule and the record; a deleted or inactive rule, a deleted record, or a date or
 *    timing that changed since the timer was scheduled (token mismatch) ends quietly.
 * 2. Decide (criteria; depth 0: time started it) and carry out, logged like any run, idempotent on
 *    the timer's name.
 */
export const wakeDateRule = async (deps: AppDeps, timer: TimerRequest): Promise<WakeResult> => {
  const [ruleId, module, recordId] = timer.key.split('#') as [string, string, string];
  const [rule, current] = await Promise.all([getRule(deps, ruleId), module && recordId ? getRecord(deps, module, recordId) : undefined]);
  if (!rule || !current) return {};
  const record: ActionRecord = { id: current.id, module: current.module, ownerId: current.ownerId, fields: current.fields };
  const expected = dateTimer(rule, record);
  if (!expected || expected.token !== timer.token || expected.wakeAt !== timer.wakeAt) return {};
  const source: Source = { eventId: timerExecutionName(timer), eventName: 'date.reached', occurredAt: timer.wakeAt, correlationId: timerExecutionName(timer) };
  await carryOut(deps, decideRules([rule], { name: 'date.reached', module: record.module, fields: record.fields, changes: [], depth: 0, at: new Date(timer.wakeAt) }), record, source, 0);
  return {};
};
