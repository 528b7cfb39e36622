import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { screenFlowKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import { putQuotes, quotePut } from './quotes.js';
import { ConditionFailed, MAX_TRANSACT_ITEMS, transactWrite, type TransactItem } from './transact.js';
import { Conflict, NotFound } from '../domain/errors.js';

/** A wizard session or a kiosk run: its state lives on the server, belongs to one user, and expires. */
export type ScreenFlowKind = 'wizard' | 'kiosk';

export interface ScreenFlow<S> {
  kind: ScreenFlowKind;
  id: string;
  userId: string;
  definitionId: string;
  definitionVersion: number;
  status: 'active' | 'draft' | 'finished';
  state: S;
  /** Bumped on every save: two submits racing on one flow cannot both apply. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds (the table's TTL attribute); a flow past it reads as gone even before DynamoDB deletes it. */
  expiresAt: number;
}

type FlowItem<S> = ScreenFlow<S> & { PK: string; SK: string; GSI1PK?: string; GSI1SK?: string; entity: 'ScreenFlow' };

const notFound = (kind: ScreenFlowKind, id: string) => new NotFound(kind === 'wizard' ? `No wizard session ${id}` : `No kiosk run ${id}`);

/** A lost race on a flow: another submit saved first; the caller re-reads and sees where the flow now stands. */
export const flowMoved = (kind: ScreenFlowKind): Conflict => new Conflict(`This ${kind === 'wizard' ? 'session' : 'run'} moved on since you read it: read it again`);

/** The Put of a new flow (version 1, must not exist) or of the next version of one read before, for a caller's transaction. */
export const flowPut = <S>(deps: AppDeps, flow: ScreenFlow<S>): TransactItem => {
  const item: FlowItem<S> = { ...screenFlowKeys.item(flow.kind, flow.id, flow.userId, flow.status, flow.updatedAt), entity: 'ScreenFlow', ...flow };
  return {
    Put: {
      TableName: deps.tableName,
      Item: item,
      ConditionExpression: flow.version === 1 ? 'attribute_not_exists(PK)' : 'version = :previous',
      ...(flow.version === 1 ? {} : { ExpressionAttributeValues: { ':previous': flow.version - 1 } }),
    },
  };
};

/**
 * Saves a flow: a new one (version 1, must not exist) or the next version of one read before. A lost
 * race (another submit saved first) is 409: the caller re-reads and sees where the flow now stands.
 * `quotes`: the partitions of records whose values this save copies into the flow (a kiosk's loaded
 * records, a wizard's answers for the record it will create): written in the same transaction, or,
 * past what one transaction holds (a kiosk that loaded many records), just before it (a quote without its
 * copy is harmless; shared/db/quotes.ts).
 */
export const saveFlow = async <S>(deps: AppDeps, flow: ScreenFlow<S>, quotes: readonly string[] = []): Promise<ScreenFlow<S>> => {
  const put = flowPut(deps, flow);
  const target = { PK: put.Put!.Item!.PK as string };
  const quoted = [...new Set(quotes)];
  // One item of the transaction stays free for a request's idempotency mark.
  const together = quoted.length > 0 && quoted.length + 2 <= MAX_TRANSACT_ITEMS;
  if (!together) await putQuotes(deps, quoted, target);
  try {
    if (together) await transactWrite(deps, [...quoted.map((pk) => quotePut(deps.tableName, pk, target)), put]);
    else await deps.db.send(new PutCommand(put.Put!));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || error instanceof ConditionFailed) throw flowMoved(flow.kind);
    throw error;
  }
  return flow;
};

/** A flow from its stored item: the caller's own, else (anyone else's, missing or expired) 404, so its existence does not leak. */
export const ownFlowFromItem = <S>(deps: AppDeps, kind: ScreenFlowKind, id: string, userId: string, stored: Record<string, unknown> | undefined): ScreenFlow<S> => {
  const item = stored as FlowItem<S> | undefined;
  if (!item || item.userId !== userId || item.expiresAt * 1000 <= deps.clock().getTime()) throw notFound(kind, id);
  return withoutKeys(item);
};

/** The caller's own flow; anyone else's, a missing or an expired one is 404 (its existence does not leak). */
export const requireOwnFlow = async <S>(deps: AppDeps, kind: ScreenFlowKind, id: string, userId: string): Promise<ScreenFlow<S>> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: screenFlowKeys.key(kind, id), ConsistentRead: true }));
  return ownFlowFromItem(deps, kind, id, userId, res.Item);
};

const withoutKeys = <S>(item: FlowItem<S>): ScreenFlow<S> => {
  const { PK: _pk, SK: _sk, GSI1PK: _gsiPk, GSI1SK: _gsiSk, entity: _entity, ...flow } = item;
  return flow;
};

/** A user's wizard drafts, newest save first (one Query of their drafts partition); expired ones are left out before TTL deletes them. */
export const listWizardDrafts = async <S>(deps: AppDeps, userId: string, limit: number, cursor?: string): Promise<Page<ScreenFlow<S>>> => {
  const page = await queryPage<FlowItem<S>>(
    deps,
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': screenFlowKeys.draftsPartition(userId), ':now': Math.floor(deps.clock().getTime() / 1000) },
      ScanIndexForward: false,
    },
    limit,
    cursor,
  );
  return { ...page, items: page.items.map(withoutKeys) };
};

/** The next version of a flow with a new state, status and expiry. */
export const advanceFlow = <S>(deps: AppDeps, flow: ScreenFlow<S>, change: { state?: S; status?: ScreenFlow<S>['status']; ttlSeconds: number }): ScreenFlow<S> => {
  const now = deps.clock();
  return {
    ...flow,
    ...(change.state !== undefined ? { state: change.state } : {}),
    ...(change.status ? { status: change.status } : {}),
    version: flow.version + 1,
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + change.ttlSeconds,
  };
};
