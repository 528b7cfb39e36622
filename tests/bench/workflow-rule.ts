import type { AppDeps } from '../../shared/adapters/deps.js';
import { WorkflowRuleDefinitionSchema } from '../../shared/domain/workflow/index.js';
import { standardModule } from '../../shared/domain/records/standard-modules.js';
import { createRecord, recordEventData } from '../../shared/db/records-repo.js';
import { saveRule } from '../../shared/db/workflow-rules-repo.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { handleRuleEvent } from '../../functions/events/workflow-rules.js';

/**
 * A workflow rule run as the rules consumer does it, per event: load the module's rules, decide,
 * load the context, run two actions (a task through the records core, an in-app notification), log
 * the execution. Returns a function that handles a fresh `record.updated` event each call.
 */
export const prepareRuleRun = async (deps: AppDeps): Promise<() => Promise<void>> => {
  const leads = standardModule('Leads')!;
  const now = deps.clock().toISOString();
  await saveRule(
    deps,
    {
      ...WorkflowRuleDefinitionSchema.parse({
        name: 'Contacted lead follow-up',
        module: 'Leads',
        trigger: { type: 'fieldChanged', field: 'leadStatus', to: { op: 'eq', value: 'Contacted' } },
        actions: [
          { type: 'createTask', subject: 'Follow up {{lastName}}', assignee: { kind: 'owner' }, dueInDays: 2 },
          { type: 'notify', to: { kind: 'owner' }, message: '{{lastName}} was contacted' },
        ],
      }),
      id: 'BENCH-RULE',
      version: 1,
      createdBy: 'u-admin',
      createdAt: now,
      updatedAt: now,
    },
    { actor: 'u-admin', via: 'api', correlationId: 'bench' },
  );
  const lead = await createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { lastName: 'Rule', leadStatus: 'Contacted' } }, { actor: 'u-agent', via: 'api', correlationId: 'bench' });
  const data = recordEventData(lead, [{ field: 'leadStatus', old: 'New', new: 'Contacted' }]);
  return async () => {
    const id = deps.newId();
    const event: BusEvent = {
      version: '0', id, source: 'keiro', 'detail-type': 'record.updated', account: '0', region: 'local', time: now, resources: [],
      detail: { metadata: { id, occurredAt: deps.clock().toISOString(), actor: 'u-agent', correlationId: id }, data },
    };
    await handleRuleEvent(event, deps);
  };
};
