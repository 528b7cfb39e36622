import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ApprovalProcessDefinition } from '../domain/approval/definition.js';
import type { ReviewProcessDefinition } from '../domain/review/definition.js';
import type { GovernedField, WriteGuardState } from '../domain/records/write-guards.js';
import { ALWAYS, withUpgradedCriteria } from '../domain/criteria/index.js';
import { upgradeProcessDefinition } from '../domain/process/upgrade.js';
import { moduleProcessKeys } from './keys.js';
import type { TransactItem } from './transact.js';

export interface ActiveProcess<D> {
  processId: string;
  version: number;
  def: D;
}

/**
 * The processes that act on every write of a module, in one small item the records core reads
 * beside the record: the published blueprint (its governed field), active approval and review processes.
 */
export interface ModuleProcesses extends WriteGuardState {
  module: string;
  /** Optimistic lock of this item: every publish/save is conditional on it. */
  revision: number;
  blueprint?: GovernedField;
  approvals: ActiveProcess<ApprovalProcessDefinition>[];
  reviews: ActiveProcess<ReviewProcessDefinition>[];
}

export const emptyModuleProcesses = (module: string): ModuleProcesses => ({ module, revision: 0, approvals: [], reviews: [] });

/** The process state from its stored item (absent: none). */
export const moduleProcessesFromItem = (module: string, item: Record<string, unknown> | undefined): ModuleProcesses => {
  if (!item) return emptyModuleProcesses(module);
  const { PK: _pk, SK: _sk, entity: _e, ...rest } = item as unknown as ModuleProcesses & { PK: string; SK: string; entity: string };
  // Criteria copied here in an earlier shape are read in today's.
  return {
    ...rest,
    ...(rest.blueprint ? { blueprint: withUpgradedCriteria(rest.blueprint, 'entryCriteria', ALWAYS) } : {}),
    approvals: (rest.approvals ?? []).map((p) => ({ ...p, def: upgradeProcessDefinition('approval-process', p.def) })),
    reviews: (rest.reviews ?? []).map((p) => ({ ...p, def: upgradeProcessDefinition('review-process', p.def) })),
  };
};

/** Consistent read: a publish or a deactivation holds from the next write on. */
export const getModuleProcesses = async (deps: AppDeps, module: string): Promise<ModuleProcesses> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: moduleProcessKeys.key(module), ConsistentRead: true }));
  return moduleProcessesFromItem(module, res.Item);
};

/** The Put of the next revision, conditional on the one read (a concurrent publish fails the transaction). */
export const moduleProcessesPut = (deps: AppDeps, current: ModuleProcesses, next: Omit<ModuleProcesses, 'revision' | 'module'>): TransactItem => ({
  Put: {
    TableName: deps.tableName,
    Item: { ...moduleProcessKeys.key(current.module), entity: 'ModuleProcesses', ...next, module: current.module, revision: current.revision + 1 },
    ConditionExpression: current.revision === 0 ? 'attribute_not_exists(PK)' : 'revision = :r',
    ...(current.revision === 0 ? {} : { ExpressionAttributeValues: { ':r': current.revision } }),
  },
});
