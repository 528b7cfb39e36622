import type { FieldValue } from '../records/field-values.js';
import { criteriaHold, testHolds } from '../criteria/index.js';
import { MAX_RULE_DEPTH, type Trigger, type WorkflowRule } from './rule.js';

/** What happened to a record, as a rule sees it (from a record or process event). */
export interface RuleEvent {
  /** `record.created`, `record.updated`, `blueprint.transitioned`, `approval.decided`, or `date.reached`. */
  name: string;
  module: string;
  /** The record after the change. */
  fields: Readonly<Record<string, FieldValue>>;
  /** Changed fields with their old values (record events). */
  changes: ReadonlyArray<{ field: string; old: unknown; new: unknown }>;
  /** Automation steps that led to this event (0: a person's change). */
  depth: number;
  /** When it happened: criteria with relative dates count from here. */
  at: Date;
}

export type RuleDecision =
  /** The trigger matched and the criteria hold: run the actions at depth + 1. */
  | { rule: WorkflowRule; outcome: 'run' }
  /** The trigger matched but the run is not allowed or not wanted: logged with the reason. */
  | { rule: WorkflowRule; outcome: 'refused' | 'criteria-not-met'; reason: string };

const oldFields = (event: RuleEvent): Record<string, unknown> => {
  const before: Record<string, unknown> = { ...event.fields };
  for (const c of event.changes) before[c.field] = c.old ?? undefined;
  return before;
};

/** Whether a trigger fires for an event (date triggers fire only through their timer). */
export const triggerMatches = (trigger: Trigger, event: RuleEvent): boolean => {
  switch (trigger.type) {
    case 'created':
      return event.name === 'record.created';
    case 'edited':
      return event.name === 'record.updated' && (!trigger.fields || event.changes.some((c) => trigger.fields!.includes(c.field)));
    case 'fieldChanged': {
      if (event.name !== 'record.created' && event.name !== 'record.updated') return false;
      if (!event.changes.some((c) => c.field === trigger.field)) return false;
      if (!trigger.to) return true;
      const nowHolds = testHolds(trigger.to, event.fields[trigger.field], event.at);
      const heldBefore = event.name === 'record.updated' && testHolds(trigger.to, oldFields(event)[trigger.field], event.at);
      return nowHolds && !heldBefore;
    }
    case 'dateReached':
      return event.name === 'date.reached';
    case 'event':
      return event.name === trigger.event;
  }
};

/**
 * Decides, purely, which of a module's rules act on an event: inactive rules and rules whose trigger
 * does not match are left out (nothing to log); a matching rule is refused at the depth limit
 * (`MAX_RULE_DEPTH`: rules that trigger each other stop there), skipped when its criteria do not
 * hold, and run otherwise.
 */
export const decideRules = (rules: readonly WorkflowRule[], event: RuleEvent, maxDepth = MAX_RULE_DEPTH): RuleDecision[] =>
  rules
    .filter((rule) => rule.active && rule.module === event.module && triggerMatches(rule.trigger, event))
    .map((rule): RuleDecision => {
      if (event.depth >= maxDepth) {
        return { rule, outcome: 'refused', reason: `Depth limit reached: this change was made by a chain of ${event.depth} automation steps (limit ${maxDepth}); rules that trigger each other stop here` };
      }
      if (!criteriaHold(rule.criteria, event.fields, event.at)) return { rule, outcome: 'criteria-not-met', reason: 'The record does not meet the rule criteria' };
      return { rule, outcome: 'run' };
    });

/**
 * When a date trigger fires for a date value: the day `offsetDays` from it, at `atUtc`. Undefined for
 * an empty or malformed value.
 */
export const dateTriggerWakeAt = (trigger: Extract<Trigger, { type: 'dateReached' }>, value: unknown): string | undefined => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const day = Date.parse(`${value.slice(0, 10)}T${trigger.atUtc}:00Z`);
  if (Number.isNaN(day)) return undefined;
  return new Date(day + trigger.offsetDays * 86_400_000).toISOString().replace('.000Z', 'Z');
};
