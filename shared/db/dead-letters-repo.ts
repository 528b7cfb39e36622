import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { BusEvent } from '../events/envelope.js';
import { deadLetterKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import { Conflict, NotFound } from '../domain/errors.js';

/** Dead letters stay listable and replayable for 14 days, then TTL removes them. */
export const DEAD_LETTER_TTL_SECONDS = 14 * 24 * 60 * 60;
/** A replay with no outcome after this long (e.g. its delivery was lost in AWS) may be started again. */
export const STALE_REPLAY_MS = 15 * 60 * 1000;

export const DEAD_LETTER_STATUSES = ['pending', 'replaying', 'replayed', 'failed'] as const;
/** pending: never replayed; replaying: handed back, outcome not known yet; replayed: delivered; failed: a replay failed again. */
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

export const DEAD_LETTER_ORIGINS = ['local-router', 'consumer-lambda', 'timer-wake'] as const;

export type DeadLetterTarget = { kind: 'consumer'; consumer: string } | { kind: 'stateMachine'; workflow: string };

export interface DeadLetterItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  entity: 'DeadLetter';
  id: string;
  status: DeadLetterStatus;
  version: number;
  subscriptionId: string;
  target: DeadLetterTarget;
  /** Where the final failure was seen: the local router, a consumer Lambda in AWS, or a timer's wake (a cadence send). */
  origin: (typeof DEAD_LETTER_ORIGINS)[number];
  eventId: string;
  eventName: string;
  event: BusEvent;
  error: { name: string; message: string };
  attempts: number;
  failedAt: string;
  replayCount: number;
  lastReplayAt?: string;
  lastReplayBy?: string;
  replayedAt?: string;
  expiresAt: number;
}

const MAX_ERROR_TEXT = 2_000;

export const describeError = (error: unknown): { name: string; message: string } => {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name || 'Error', message: (e.message || String(error)).slice(0, MAX_ERROR_TEXT) };
};

export const toDeadLetterView = (item: DeadLetterItem) => ({
  id: item.id,
  status: item.status,
  version: item.version,
  subscriptionId: item.subscriptionId,
  target: item.target,
  origin: item.origin,
  eventId: item.eventId,
  eventName: item.eventName,
  event: item.event,
  error: item.error,
  attempts: item.attempts,
  failedAt: item.failedAt,
  replayCount: item.replayCount,
  ...(item.lastReplayAt ? { lastReplayAt: item.lastReplayAt } : {}),
  ...(item.lastReplayBy ? { lastReplayBy: item.lastReplayBy } : {}),
  ...(item.replayedAt ? { replayedAt: item.replayedAt } : {}),
  expiresAt: new Date(item.expiresAt * 1000).toISOString(),
});
export type DeadLetterView = ReturnType<typeof toDeadLetterView>;

export interface NewDeadLetter {
  subscriptionId: string;
  target: DeadLetterTarget;
  origin: DeadLetterItem['origin'];
  event: BusEvent;
  error: unknown;
  attempts: number;
}

/** The item of a new dead letter (pending); `recordDeadLetter` stores it, or a transaction that also changes what it concerns. */
export const newDeadLetterItem = (deps: AppDeps, input: NewDeadLetter): DeadLetterItem => {
  const now = deps.clock();
  const id = deps.newId();
  return {
    ...deadLetterKeys.item(id, now.toISOString()),
    entity: 'DeadLetter',
    id,
    status: 'pending',
    version: 1,
    subscriptionId: input.subscriptionId,
    target: input.target,
    origin: input.origin,
    eventId: input.event.detail?.metadata?.id ?? input.event.id,
    eventName: input.event['detail-type'],
    event: input.event,
    error: describeError(input.error),
    attempts: input.attempts,
    failedAt: now.toISOString(),
    replayCount: 0,
    expiresAt: Math.floor(now.getTime() / 1000) + DEAD_LETTER_TTL_SECONDS,
  };
};

/** The conditional put of a new dead letter (for a transaction). */
export const deadLetterPut = (deps: AppDeps, item: DeadLetterItem) => ({ Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } });

/** Stores an event that a target could not take after its last retry. */
export const recordDeadLetter = async (deps: AppDeps, input: NewDeadLetter): Promise<DeadLetterItem> => {
  const item = newDeadLetterItem(deps, input);
  await deps.db.send(new PutCommand(deadLetterPut(deps, item).Put));
  return item;
};

export const getDeadLetter = async (deps: AppDeps, id: string): Promise<DeadLetterItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: deadLetterKeys.key(id), ConsistentRead: true }));
  return res.Item as DeadLetterItem | undefined;
};

export const requireDeadLetter = async (deps: AppDeps, id: string): Promise<DeadLetterItem> => {
  const item = await getDeadLetter(deps, id);
  if (!item) throw new NotFound(`No dead letter ${id}`);
  return item;
};

/** Newest failure first (GSI1 `DEADLETTERS`), optionally of one status. */
export const listDeadLetters = async (
  deps: AppDeps,
  options: { status?: DeadLetterStatus; limit: number; cursor?: string },
): Promise<Page<DeadLetterItem>> =>
  queryPage<DeadLetterItem>(
    deps,
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ScanIndexForward: false,
      ...(options.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': deadLetterKeys.listPartition, ...(options.status ? { ':status': options.status } : {}) },
    },
    options.limit,
    options.cursor,
  );

/**
 * Marks a dead letter as being replayed by `actor`. Conditional on the version read, so of two
 * concurrent replays exactly one wins (the other gets 409). A replayed one, or one whose replay is
 * still fresh, cannot be replayed again (409).
 */
export const claimReplay = async (deps: AppDeps, current: DeadLetterItem, actor: string): Promise<DeadLetterItem> => {
  const now = deps.clock();
  if (current.status === 'replayed') throw new Conflict('This dead letter was already replayed');
  const replayStarted = current.lastReplayAt ? Date.parse(current.lastReplayAt) : 0;
  if (current.status === 'replaying' && now.getTime() - replayStarted < STALE_REPLAY_MS) {
    throw new Conflict('A replay of this dead letter is in progress');
  }
  try {
    const res = await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: deadLetterKeys.key(current.id),
        UpdateExpression: 'SET #status = :replaying, lastReplayAt = :now, lastReplayBy = :actor, version = version + :one, replayCount = replayCount + :one',
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':replaying': 'replaying', ':now': now.toISOString(), ':actor': actor, ':one': 1, ':v': current.version },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes as DeadLetterItem;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new Conflict('The dead letter changed while you replayed it; read it again');
    throw error;
  }
};

export type ReplayOutcome = { ok: true } | { ok: false; error: unknown; attempts: number };

/**
 * Records how a replay ended: `replayed`, or `failed` with the new error. Written by whoever saw the
 * delivery end (the local router, or the consumer Lambda in AWS). A dead letter that is gone (TTL) is ignored.
 */
export const recordReplayOutcome = async (deps: AppDeps, id: string, outcome: ReplayOutcome): Promise<void> => {
  const now = deps.clock().toISOString();
  const values: Record<string, unknown> = { ':status': outcome.ok ? 'replayed' : 'failed', ':one': 1 };
  let update = 'SET #status = :status, version = version + :one';
  if (outcome.ok) {
    update += ', replayedAt = :now';
    values[':now'] = now;
  } else {
    update += ', #error = :error, attempts = attempts + :attempts';
    values[':error'] = describeError(outcome.error);
    values[':attempts'] = outcome.attempts;
  }
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: deadLetterKeys.key(id),
        UpdateExpression: update,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status', ...(outcome.ok ? {} : { '#error': 'error' }) },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
