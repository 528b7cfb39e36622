import * as z from 'zod';
import { ActionListSchema } from '../actions/schema.js';
import { CriteriaSchema, upgradeCriteria, ValueTestSchema } from '../criteria/index.js';
import { lazySchema } from '../lazy-schema.js';

/** How many automation steps may chain (a rule's write triggering a rule…) before runs are refused. */
export const MAX_RULE_DEPTH = 3;
/** Process events a rule can trigger on (by event name). */
export const RULE_PROCESS_EVENTS = ['blueprint.transitioned', 'approval.decided'] as const;
/** Every event the rules consumer subscribes to: record changes and the process events. */
export const WORKFLOW_RULE_EVENTS: readonly string[] = ['record.created', 'record.updated', ...RULE_PROCESS_EVENTS];

const fieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A field name (camelCase)'));

/** When a rule runs. */
export const TriggerSchema = lazySchema(() => z.discriminatedUnion('type', [
  /** A record of the module was created. */
  z.object({ type: z.literal('created') }).strict(),
  /** A record was edited (any field, or one of `fields`). */
  z.object({ type: z.literal('edited'), fields: z.array(fieldName).min(1).max(50).optional() }).strict(),
  /**
   * A field changed; with `to`, when its new value satisfies `to` and the old one did not ("becomes"):
   * `{ field: 'amount', to: { op: 'gte', value: 1000000 } }`. Also fires on create when the new record satisfies it.
   */
  z.object({ type: z.literal('fieldChanged'), field: fieldName, to: ValueTestSchema.optional() }).strict(),
  /** A date field is reached, `offsetDays` before (negative) or after (positive), at `atUtc` (HH:MM, default 09:00). Runs on the shared timer. */
  z
    .object({
      type: z.literal('dateReached'),
      field: fieldName,
      offsetDays: z.number().int().min(-365).max(365).default(0),
      atUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (UTC)').default('09:00'),
    })
    .strict(),
  /** A process event on a record of the module, by name. */
  z.object({ type: z.literal('event'), event: z.enum(RULE_PROCESS_EVENTS) }).strict(),
]));
export type Trigger = z.infer<typeof TriggerSchema>;

export const WorkflowRuleDefinitionSchema = lazySchema(() => z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    module: z.string().regex(/^[A-Z][A-Za-z0-9]{1,63}$/, 'A module name (PascalCase)'),
    trigger: TriggerSchema,
    criteria: CriteriaSchema.optional(),
    actions: ActionListSchema,
    active: z.boolean().default(true),
  })
  .strict());
export type WorkflowRuleDefinition = z.infer<typeof WorkflowRuleDefinitionSchema>;

/** A stored rule: the definition with its id, version and bookkeeping. */
export interface WorkflowRule extends WorkflowRuleDefinition {
  id: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A rule as stored in an earlier shape, in today's: `{ all, any }` criteria (all of one, one of the
 * other) become `{ all: [..., { any }] }`. A trigger's `to` already spelled its operators as today.
 */
export const upgradeWorkflowRule = <R extends Pick<WorkflowRuleDefinition, 'criteria'>>(rule: R): R => {
  const criteria = upgradeCriteria(rule.criteria);
  return criteria ? { ...rule, criteria } : rule;
};
