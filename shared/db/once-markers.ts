import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { onceKeys } from './keys.js';
import type { TransactItem } from './transact.js';

/**
 * Where an action that creates something counts as done: its scope (e.g. `journey/<instance>/<state>`,
 * `blueprint/<id>/<record>/<transition>`) and its index in the definition's list.
 */
export interface OnceScope {
  scope: string;
  index: number;
}

interface OnceMarkerItem {
  PK: string;
  SK: string;
  entity: 'OnceMarker';
  scope: string;
  index: number;
  /** What the action created the first time (e.g. `TravelApplications/<id>`). */
  created: string;
  at: string;
}

/**
 * The marker as part of the creating transaction: what is created and the marker are written together,
 * or neither. It never expires: the instance may come back to the state at any time.
 */
export const onceTransactItem = (deps: AppDeps, once: OnceScope, created: string): TransactItem => ({
  Put: {
    TableName: deps.tableName,
    Item: { ...onceKeys.key(once.scope, once.index), entity: 'OnceMarker', scope: once.scope, index: once.index, created, at: deps.clock().toISOString() } satisfies OnceMarkerItem,
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** What the action created when it ran in this scope before, or undefined if it has not (strongly consistent). */
export const createdOnce = async (deps: AppDeps, once: OnceScope): Promise<string | undefined> => {
  const { Item } = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: onceKeys.key(once.scope, once.index), ConsistentRead: true }));
  return (Item as OnceMarkerItem | undefined)?.created;
};

/** The detail of an action skipped because it ran in its scope before. */
export const alreadyCreated = (created: string, scope: string): string => `already created ${created} in ${scope}: runs once`;
