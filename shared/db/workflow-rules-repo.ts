import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { WorkflowRule } from '../domain/workflow/rule.js';
import { workflowRuleDeleted, workflowRuleExecuted, workflowRuleSaved, type WorkflowRuleExecuted } from '../events/catalog/workflow-rules.js';
import { upgradeWorkflowRule } from '../domain/workflow/index.js';
import { buildHistoryItem, historyPut, storedHistoryItem, type ChangeContext, type HistoryItem } from './history.js';
import { historyPage } from './history-page.js';
import { historyKeys, workflowRuleKeys, type Key } from './keys.js';
import { queryAll, queryPage, type Page } from './query.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import { freshForCache } from './published-cache.js';
import { NotFound, StaleVersion } from '../domain/errors.js';

interface RuleItem extends WorkflowRule {
  PK: string;
  SK: string;
  entity: 'WorkflowRule';
  GSI1PK?: string;
  GSI1SK?: string;
  GSI2PK?: string;
  GSI2SK?: string;
}

/** The stored rule without its keys; criteria stored in an earlier shape come back in today's. */
const strip = ({ PK: _p, SK: _s, entity: _e, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rule }: RuleItem): WorkflowRule => upgradeWorkflowRule(rule);

const ruleRef = (rule: WorkflowRule) => ({ ruleId: rule.id, name: rule.name, module: rule.module, version: rule.version });

const ruleHistory = (deps: AppDeps, rule: WorkflowRule, eventName: string, data: unknown, ctx: ChangeContext) =>
  historyPut(deps.tableName, {
    subjectPK: workflowRuleKeys.key(rule.id).PK,
    subject: { type: 'workflow-rule', id: rule.id, module: rule.module },
    eventId: deps.newId(),
    eventName,
    occurredAt: rule.updatedAt,
    data,
    context: ctx,
  });

export const getRule = async (deps: AppDeps, id: string): Promise<WorkflowRule | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: workflowRuleKeys.key(id), ConsistentRead: true }));
  return res.Item ? strip(res.Item as RuleItem) : undefined;
};

export const requireRule = async (deps: AppDeps, id: string): Promise<WorkflowRule> => {
  const rule = await getRule(deps, id);
  if (!rule) throw new NotFound(`No workflow rule ${id}`);
  return rule;
};

/**
 * Saves a rule: a new one (version 1) or the next version of `current` (conditional on its version:
 * a concurrent save loses with 412), with its `workflow-rule.saved` history entry, in one transaction.
 */
export const saveRule = async (deps: AppDeps, rule: WorkflowRule, ctx: ChangeContext, current?: WorkflowRule): Promise<WorkflowRule> => {
  const item = { ...workflowRuleKeys.item(rule.id, rule.module), entity: 'WorkflowRule', ...rule };
  const condition = current
    ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } }
    : { ConditionExpression: 'attribute_not_exists(PK)' };
  try {
    await transactWrite(deps, [{ Put: { TableName: deps.tableName, Item: item, ...condition } }, ruleHistory(deps, rule, workflowRuleSaved.name, { ...ruleRef(rule), rule }, ctx)]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.failedIndexes.includes(0)) throw new StaleVersion('The workflow rule changed meanwhile; read it again');
    throw error;
  } finally {
    forgetModuleRules(deps, rule.module, ...(current ? [current.module] : []));
  }
  return rule;
};

export const deleteRule = async (deps: AppDeps, rule: WorkflowRule, ctx: ChangeContext): Promise<void> => {
  try {
    await transactWrite(deps, [
      { Delete: { TableName: deps.tableName, Key: workflowRuleKeys.key(rule.id), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': rule.version } } },
      ruleHistory(deps, { ...rule, updatedAt: deps.clock().toISOString() }, workflowRuleDeleted.name, ruleRef(rule), ctx),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.failedIndexes.includes(0)) throw new StaleVersion('The workflow rule changed meanwhile; read it again');
    throw error;
  } finally {
    forgetModuleRules(deps, rule.module);
  }
};

/** Every rule, by module then id; one page. */
export const listRules = async (deps: AppDeps, limit: number, cursor?: string, module?: string): Promise<Page<WorkflowRule>> => {
  const page = await queryPage<RuleItem>(
    deps,
    module
      ? { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': workflowRuleKeys.modulePartition(module) } }
      : { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': workflowRuleKeys.listPartition } },
    limit,
    cursor,
  );
  return { items: page.items.map((i) => strip(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};

/**
 * How long a container's consumer may go on using a module's rules as it read them: a rule saved or
 * deleted through another container (the API's) acts on events within this; through this one, at once.
 */
export const RULES_STALENESS_MS = 30_000;
const moduleRules = freshForCache<WorkflowRule[]>(RULES_STALENESS_MS);
const forgetModuleRules = (deps: AppDeps, ...modules: string[]) => modules.forEach((m) => moduleRules.forget([deps.tableName, m]));

/** A module's rules (what the rules consumer evaluates per event): one Query, at most once per RULES_STALENESS_MS per container. */
export const rulesForModule = (deps: AppDeps, module: string): Promise<WorkflowRule[]> =>
  moduleRules.get([deps.tableName, module], async () =>
    (await queryAll<RuleItem>(deps, { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': workflowRuleKeys.modulePartition(module) } })).map((i) => strip(i)),
  );

export interface ExecutionInput {
  data: WorkflowRuleExecuted;
  /** When the source event happened: with its id, the log entry's key (a redelivery logs nothing new). */
  sourceOccurredAt: string;
  ctx: ChangeContext;
}

/** The key of a rule's execution log entry for a source event: known before the run, so a redelivery can read it first. */
export const executionKey = (ruleId: string, sourceEventId: string, sourceOccurredAt: string): Key =>
  historyKeys.key(workflowRuleKeys.executionsPartition(ruleId), sourceOccurredAt, `${sourceEventId}.${ruleId}`);

/**
 * Logs one execution as an outbox entry (`workflow-rule.executed`) in the rule's executions
 * partition, keyed by the source event: logged once per (rule, event), however often it is delivered.
 * It is the rule's mark for the event: `tail` (the run's after-the-fact outcomes and email
 * confirmations) is written in the same transaction. Logged meanwhile by a concurrent delivery: the
 * tail is written alone (what this delivery did still holds).
 */
export const logExecution = async (deps: AppDeps, input: ExecutionInput, tail: TransactItem[] = []): Promise<void> => {
  const item = buildHistoryItem({
    subjectPK: workflowRuleKeys.executionsPartition(input.data.ruleId),
    subject: { type: 'workflow-rule', id: input.data.ruleId, module: input.data.module },
    eventId: `${input.data.sourceEventId}.${input.data.ruleId}`,
    eventName: workflowRuleExecuted.name,
    occurredAt: input.sourceOccurredAt,
    data: input.data,
    context: input.ctx,
  });
  const put = { TableName: deps.tableName, Item: { ...storedHistoryItem(item), loggedAt: deps.clock().toISOString() }, ConditionExpression: 'attribute_not_exists(PK)' };
  try {
    if (tail.length === 0) await deps.db.send(new PutCommand(put));
    else await transactWrite(deps, [...tail, { Put: put }]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.failedIndexes.includes(tail.length)) await transactWrite(deps, tail);
    else if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

export const toExecutionView = (item: HistoryItem & { loggedAt?: string }) => ({
  id: item.eventId,
  occurredAt: item.occurredAt,
  ...(item.loggedAt ? { loggedAt: item.loggedAt } : {}),
  ...(item.data as WorkflowRuleExecuted),
});

/** A rule's executions, newest first. */
export const listExecutions = async (deps: AppDeps, ruleId: string, limit: number, cursor?: string) => {
  const page = await historyPage(deps, workflowRuleKeys.executionsPartition(ruleId), { limit, ...(cursor ? { cursor } : {}) });
  return { items: page.items.map(toExecutionView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};
