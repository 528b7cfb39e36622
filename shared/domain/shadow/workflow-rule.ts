import type { Action } from '../actions/schema.js';
import type { FieldValue } from '../records/field-values.js';
import { dateTriggerWakeAt, decideRules, type RuleEvent, type WorkflowRule } from '../workflow/index.js';
import type { ShadowChange } from './change.js';
import { count, recordKey, type Outcome, type Sample, type Tally } from './tally.js';

/** The events a rule sees (the live consumer's subscription). */
const RULE_EVENTS = new Set(['record.created', 'record.updated', 'blueprint.transitioned', 'approval.decided']);

/** A date trigger's pending wake on the simulated clock, with the record as last seen. */
export interface DateWake {
  record: string;
  module: string;
  recordId: string;
  wakeAt: string;
  token: string;
  fields: Record<string, unknown>;
}
export interface RuleReplayState {
  /** The record's fields as last seen (process events carry none: the rule reads the record, as live). */
  fields: Record<string, Record<string, unknown>>;
  wakes: DateWake[];
  /** Runs that were recorded live (sourceEventId → ran or not), for the cross-check of the published version. */
  recorded: Record<string, boolean>;
  /** Runs this replay decided (sourceEventId → ran or not). */
  decided: Record<string, boolean>;
}
export const emptyRuleState = (): RuleReplayState => ({ fields: {}, wakes: [], recorded: {}, decided: {} });

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What an action would do, as an outcome (the label is the definition's own text: template subject, task subject, …). */
export const actionOutcome = (action: Action): Outcome => {
  switch (action.type) {
    case 'sendEmail':
      return { kind: 'email', label: action.template.subject };
    case 'createTask':
      return { kind: 'task', label: action.subject };
    case 'updateFields':
      return { kind: 'fieldUpdate', label: Object.keys(action.fields).sort().join(', ') };
    case 'associate':
      return { kind: 'fieldUpdate', label: action.field };
    case 'notify':
      return { kind: 'notification', label: clip(action.title ?? action.message) };
    case 'webhook':
      return { kind: 'webhook', label: new URL(action.url).origin };
    case 'createRecord':
      return { kind: 'recordCreated', label: action.module };
  }
};

const CRITERIA_NOT_MET: Outcome = { kind: 'skipped', label: 'The record does not meet the rule criteria' };

const decide = (rule: WorkflowRule, tally: Tally, state: RuleReplayState, event: RuleEvent, source: { eventId: string; recordId: string }): void => {
  for (const decision of decideRules([rule], event)) {
    state.decided[source.eventId] = decision.outcome === 'run';
    const base = { sourceEvent: event.name, record: { module: event.module, id: source.recordId }, at: event.at.toISOString() };
    if (decision.outcome !== 'run') {
      const sample: Sample = { ...base, outcome: decision.outcome, reason: decision.reason, actions: [] };
      count(tally, decision.outcome === 'refused' ? { kind: 'skipped', label: clip(decision.reason, 120) } : CRITERIA_NOT_MET, sample);
      continue;
    }
    const outcomes = rule.actions.map(actionOutcome);
    const sample: Sample = { ...base, outcome: 'ran', actions: outcomes.map((o, index) => ({ index, type: rule.actions[index]!.type, status: 'done', detail: o.label })) };
    for (const outcome of outcomes) count(tally, outcome, sample);
  }
};

/** Date wakes due by `until` fire first, in time order, each re-checked against the record as last seen (the live wake's token check). */
export const fireRuleWakes = (rule: WorkflowRule, tally: Tally, state: RuleReplayState, until: string): void => {
  const due = state.wakes.filter((w) => w.wakeAt <= until).sort((a, b) => a.wakeAt.localeCompare(b.wakeAt) || a.record.localeCompare(b.record));
  if (due.length === 0) return;
  state.wakes = state.wakes.filter((w) => w.wakeAt > until);
  for (const wake of due) {
    const fields = state.fields[wake.record];
    if (!fields || rule.trigger.type !== 'dateReached' || `${String(fields[rule.trigger.field])}` !== wake.token) continue;
    const eventId = `date#${wake.record}#${wake.wakeAt}`;
    decide(rule, tally, state, { name: 'date.reached', module: wake.module, fields: fields as Record<string, FieldValue>, changes: [], depth: 0, at: new Date(wake.wakeAt) }, { eventId, recordId: wake.recordId });
  }
};

/**
 * One recorded change through the rule, as the live consumer (functions/events/workflow-rules.ts) takes it:
 * a record or process event of the rule's module is decided by decideRules (trigger, depth limit, criteria);
 * a change of a date trigger's field plans its wake on the simulated clock. A run recorded in the
 * execution log of the rule under trial is noted for the cross-check.
 */
export const replayRuleChange = (rule: WorkflowRule, tally: Tally, state: RuleReplayState, change: ShadowChange): void => {
  if (change.event === 'workflow-rule.executed') {
    const data = change.data as { ruleId?: string; sourceEventId?: string; outcome?: string } | undefined;
    if (data?.ruleId === rule.id && data.sourceEventId) state.recorded[data.sourceEventId] = data.outcome === 'ran';
    return;
  }
  if (change.module !== rule.module) return;
  const key = recordKey(change.module, change.recordId);
  if (change.event === 'record.deleted') {
    delete state.fields[key];
    return;
  }
  if (!RULE_EVENTS.has(change.event)) return;
  const isRecordEvent = change.event === 'record.created' || change.event === 'record.updated';
  if (isRecordEvent) state.fields[key] = change.fields;
  const fields = state.fields[key];
  if (!fields) return;
  if (isRecordEvent && rule.trigger.type === 'dateReached' && change.changes.some((c) => c.field === (rule.trigger as { field: string }).field)) {
    const value = fields[rule.trigger.field];
    const wakeAt = dateTriggerWakeAt(rule.trigger, value);
    state.wakes = state.wakes.filter((w) => w.record !== key);
    if (wakeAt && wakeAt > change.at) state.wakes.push({ record: key, module: change.module, recordId: change.recordId, wakeAt, token: String(value), fields });
  }
  const event: RuleEvent = { name: change.event, module: change.module, fields: fields as Record<string, FieldValue>, changes: isRecordEvent ? change.changes : [], depth: change.depth, at: new Date(change.at) };
  decide(rule, tally, state, event, { eventId: change.eventId, recordId: change.recordId });
};

/**
 * The cross-check of a replay against the execution log recorded live: of the source events either side
 * saw, how many the replay decides differently (ran vs. not).
 */
export const ruleMismatches = (state: RuleReplayState): { checked: number; mismatches: number } => {
  const ids = new Set([...Object.keys(state.recorded), ...Object.keys(state.decided).filter((id) => !id.startsWith('date#'))]);
  let mismatches = 0;
  for (const id of ids) if ((state.recorded[id] ?? false) !== (state.decided[id] ?? false)) mismatches += 1;
  return { checked: ids.size, mismatches };
};
