import type { AppDeps } from '../../shared/adapters/deps.js';
import { WorkflowRuleDefinitionSchema, type WorkflowRule } from '../../shared/domain/workflow/index.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getRule, saveRule } from '../../shared/db/workflow-rules-repo.js';

export const HIGH_VALUE_DEAL_RULE_ID = '01JDEMOWFR0000000000000001';

/** The demo's workflow rule: a deal whose amount becomes 1,000,000 or more. */
export const HIGH_VALUE_DEAL_ALERT = WorkflowRuleDefinitionSchema.parse({
  name: 'High-value deal alert',
  description: "When a deal's amount becomes 1,000,000 or more: a task for its owner and an email to the owner's manager.",
  module: 'Deals',
  trigger: { type: 'fieldChanged', field: 'amount', to: { op: 'gte', value: 1_000_000 } },
  actions: [
    { type: 'createTask', subject: 'Plan the high-value deal', assignee: { kind: 'owner' }, dueInDays: 1 },
    {
      type: 'sendEmail',
      to: { kind: 'manager' },
      template: {
        subject: 'High-value deal: {{name}}',
        text: '{{owner.name}} has a high-value deal: {{name}} ({{amount}}).\nDeal {{record.id}}; a planning task is due tomorrow.',
        html: '<p>{{owner.name}} has a high-value deal: <strong>{{name}}</strong> ({{amount}}).</p><p>Deal {{record.id}}; a planning task is due tomorrow.</p>',
      },
    },
  ],
  active: true,
});

/** Seed step: the demo workflow rule (fixed id; skipped when present), defined by the org admin. */
export const seedWorkflowRules = async (deps: AppDeps, ctx: ChangeContext): Promise<void> => {
  if (await getRule(deps, HIGH_VALUE_DEAL_RULE_ID)) return;
  const now = deps.clock().toISOString();
  const rule: WorkflowRule = { ...HIGH_VALUE_DEAL_ALERT, id: HIGH_VALUE_DEAL_RULE_ID, version: 1, createdBy: 'u-admin', createdAt: now, updatedAt: now };
  await saveRule(deps, rule, ctx);
};
