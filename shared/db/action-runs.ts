import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { actionRunKeys } from './keys.js';
import { queryAll } from './query.js';
import type { TransactItem } from './transact.js';

/** Markers outlive every redelivery window (stream 24 h, retries, dead-letter replays within 14 days). */
export const ACTION_RUN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** What one action of a run ended as. */
export interface ActionOutcome {
  index: number;
  type: string;
  /** done: it happened; unresolved: the plan could not resolve it; refused: the write or receiver said no (not retried). */
  status: 'done' | 'unresolved' | 'refused';
  /** What it did (a created record id, an email address…) or why not. */
  detail?: string;
  /** True when a redelivery found it already done (the outcome is the first one). */
  replayed?: boolean;
}

interface ActionRunItem extends Omit<ActionOutcome, 'replayed'> {
  PK: string;
  SK: string;
  entity: 'ActionRun';
  at: string;
  expiresAt: number;
}

const markerItem = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): ActionRunItem => {
  const now = deps.clock();
  const { replayed: _r, ...rest } = outcome;
  return { ...actionRunKeys.key(sourceEventId, outcome.index), entity: 'ActionRun', ...rest, at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + ACTION_RUN_TTL_SECONDS };
};

/** A recorded outcome as read back (a redelivery's view: `replayed`). */
export const outcomeFromItem = (i: Pick<ActionRunItem, 'index' | 'type' | 'status' | 'detail'>): ActionOutcome => ({ index: i.index, type: i.type, status: i.status, ...(i.detail ? { detail: i.detail } : {}), replayed: true });

/** The outcomes already recorded for an event's actions, by index (one Query). */
export const recordedOutcomes = async (deps: AppDeps, sourceEventId: string): Promise<Map<number, ActionOutcome>> => {
  const items = await queryAll<ActionRunItem>(deps, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': actionRunKeys.partition(sourceEventId) },
    ConsistentRead: true,
  });
  return new Map(items.map((i) => [i.index, outcomeFromItem(i)]));
};

/** The marker as part of the action's own transaction (a record write): both happen, or neither. */
export const outcomeTransactItem = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): TransactItem => ({
  Put: { TableName: deps.tableName, Item: markerItem(deps, sourceEventId, outcome), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** Records an outcome after the fact (email, notification, webhook, refusals). */
export const recordOutcome = async (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): Promise<void> => {
  await deps.db.send(new PutCommand(outcomePut(deps, sourceEventId, outcome)));
};

/** The same after-the-fact record as part of a later transaction (the run's closing one). */
export const outcomePut = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome) => ({ TableName: deps.tableName, Item: markerItem(deps, sourceEventId, outcome) });
