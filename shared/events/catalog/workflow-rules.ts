import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

const RuleRef = lazySchema(() => z.object({ ruleId: z.string().min(1), name: z.string(), module: z.string(), version: z.number().int() }));

export const workflowRuleSaved = defineEvent({
  name: 'workflow-rule.saved',
  version: 1,
  description: 'A workflow rule was created or changed (its new definition).',
  schema: lazySchema(() => RuleRef.extend({ rule: z.record(z.string(), z.unknown()) })),
});

export const workflowRuleDeleted = defineEvent({
  name: 'workflow-rule.deleted',
  version: 1,
  description: 'A workflow rule was deleted.',
  schema: RuleRef,
});

export const WorkflowRuleExecutedSchema = lazySchema(() => RuleRef.extend({
  sourceEventId: z.string(),
  sourceEvent: z.string(),
  record: z.object({ module: z.string(), id: z.string() }),
  outcome: z.enum(['ran', 'refused', 'criteria-not-met']),
  reason: z.string().optional(),
  depth: z.number().int().min(0),
  actions: z.array(z.object({ index: z.number().int(), type: z.string(), status: z.enum(['done', 'unresolved', 'refused']), detail: z.string().optional() })),
}));
export type WorkflowRuleExecuted = z.infer<typeof WorkflowRuleExecutedSchema>;

export const workflowRuleExecuted = defineEvent({
  name: 'workflow-rule.executed',
  version: 1,
  description: "A workflow rule's trigger matched: it ran its actions (with each outcome), or was refused (depth limit) or skipped (criteria), with the reason.",
  schema: WorkflowRuleExecutedSchema,
});

export const workflowRuleEvents = [workflowRuleSaved, workflowRuleDeleted, workflowRuleExecuted] as const;
