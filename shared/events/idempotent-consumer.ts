import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { correlationIdFrom, log, observe } from '../adapters/telemetry.js';
import { consumedKeys } from '../db/keys.js';
import { describeError } from '../db/dead-letters-repo.js';
import type { EventConsumer } from './consumer.js';
import type { BusEvent } from './envelope.js';

/** Markers outlive the stream (24 h), EventBridge retries (24 h) and the dead-letter window (14 days). */
export const CONSUMED_TTL_SECONDS = 14 * 24 * 60 * 60;
/** A delivery still "processing" after this long is taken to have crashed (e.g. a Lambda timeout). */
export const CONSUMER_LEASE_SECONDS = 60;

/** Another delivery of the same event is being handled right now: retry later (it is not lost). */
export class ConsumerBusy extends Error {
  constructor(consumer: string, eventId: string) {
    super(`${consumer} is already handling event ${eventId}`);
    this.name = 'ConsumerBusy';
  }
}

/** The id consumers are idempotent on: the history entry's id, the same for every redelivery. */
export const eventIdOf = (event: BusEvent): string => event.detail?.metadata?.id ?? event.id;

export type ConsumeOutcome =
  /** `attempt` is known only to a claiming consumer (an own-marks consumer counts failures only). */
  | { kind: 'handled'; attempt?: number }
  | { kind: 'duplicate' }
  | { kind: 'failed'; attempt: number; error: unknown };

interface Options {
  leaseSeconds?: number;
}

const nowSeconds = (deps: AppDeps): number => Math.floor(deps.clock().getTime() / 1000);

/** Claims (consumer, event): new, failed before, expired, or a crashed holder's. Returns the attempt number. */
const claim = async (deps: AppDeps, consumer: string, eventId: string, options: Options): Promise<number | 'done'> => {
  const now = nowSeconds(deps);
  try {
    const res = await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: consumedKeys.key(consumer, eventId),
        UpdateExpression:
          'SET entity = :entity, consumer = :consumer, eventId = :eventId, #status = :processing, lockedUntil = :lock, expiresAt = :ttl, attempts = if_not_exists(attempts, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(PK) OR #status = :failed OR (#status = :processing AND lockedUntil < :now) OR expiresAt < :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':entity': 'Consumed',
          ':consumer': consumer,
          ':eventId': eventId,
          ':processing': 'processing',
          ':failed': 'failed',
          ':lock': now + (options.leaseSeconds ?? CONSUMER_LEASE_SECONDS),
          ':ttl': now + CONSUMED_TTL_SECONDS,
          ':now': now,
          ':zero': 0,
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(res.Attributes?.attempts ?? 1);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const held = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: consumedKeys.key(consumer, eventId), ConsistentRead: true }));
  if (held.Item?.status === 'done') return 'done';
  throw new ConsumerBusy(consumer, eventId);
};

/**
 * Counts a failed delivery of an own-marks consumer (the marker holds no claim, only the failures):
 * returns the attempt number, which the consumer Lambda uses to decide its last attempt.
 */
const countFailure = async (deps: AppDeps, consumer: string, eventId: string, error: unknown): Promise<number> => {
  const now = nowSeconds(deps);
  const res = await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: consumedKeys.key(consumer, eventId),
      UpdateExpression:
        'SET entity = :entity, consumer = :consumer, eventId = :eventId, #status = :failed, finishedAt = :at, lastError = :error, expiresAt = :ttl, attempts = if_not_exists(attempts, :zero) + :one',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':entity': 'Consumed',
        ':consumer': consumer,
        ':eventId': eventId,
        ':failed': 'failed',
        ':at': deps.clock().toISOString(),
        ':error': describeError(error),
        ':ttl': now + CONSUMED_TTL_SECONDS,
        ':zero': 0,
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Number(res.Attributes?.attempts ?? 1);
};

/** An own-marks consumer: handle, and only on failure write (the attempt count). */
const consumeWithOwnMarks = async (consumer: EventConsumer, event: BusEvent, deps: AppDeps): Promise<ConsumeOutcome> => {
  try {
    await consumer.handle(event, deps);
  } catch (error) {
    const attempt = await countFailure(deps, consumer.name, eventIdOf(event), error);
    log.error('Event handling failed', error, { attempt });
    return { kind: 'failed', attempt, error };
  }
  log.info('Event handled', {});
  return { kind: 'handled' };
};

const finish = (deps: AppDeps, consumer: string, eventId: string, status: 'done' | 'failed', error?: unknown) =>
  deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: consumedKeys.key(consumer, eventId),
      UpdateExpression: `SET #status = :status, finishedAt = :at${error === undefined ? '' : ', lastError = :error'} REMOVE lockedUntil`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': deps.clock().toISOString(), ...(error === undefined ? {} : { ':error': describeError(error) }) },
    }),
  );

/**
 * Runs `consumer` for `event` at most once (per consumer and event id).
 * An own-marks consumer (EventConsumer.idempotency) is handled directly: its effects carry their marks,
 * so a delivery costs no write of the wrapper's; a failure counts the attempt.
 * Otherwise, steps: conditional claim of the `consumedKeys` marker (with TTL and a lease) → already done: skip →
 * handle → mark done; on failure mark the marker failed, so a retry may claim it again (the marker
 * keeps the attempt count, which the consumer Lambda uses to decide its last attempt).
 * A delivery of an event another delivery is handling right now throws ConsumerBusy (retry later).
 */
export const consumeOnce = (consumer: EventConsumer, event: BusEvent, deps: AppDeps, options: Options = {}): Promise<ConsumeOutcome> =>
  observe(eventTelemetry(consumer, event), async () => {
    if (consumer.idempotency === 'own-marks') return consumeWithOwnMarks(consumer, event, deps);
    const eventId = eventIdOf(event);
    const attempt = await claim(deps, consumer.name, eventId, options);
    if (attempt === 'done') {
      log.debug('Event already handled', {});
      return { kind: 'duplicate' };
    }
    try {
      await consumer.handle(event, deps);
    } catch (error) {
      await finish(deps, consumer.name, eventId, 'failed', error);
      log.error('Event handling failed', error, { attempt });
      return { kind: 'failed', attempt, error };
    }
    await finish(deps, consumer.name, eventId, 'done');
    log.info('Event handled', { attempt });
    return { kind: 'handled', attempt };
  });

/** Every log line of a consumer's handling carries the event's correlation id (the request that caused it), its id and type. */
const eventTelemetry = (consumer: EventConsumer, event: BusEvent) => {
  const eventId = eventIdOf(event);
  return {
    handler: `consumer:${consumer.name}`,
    correlationId: correlationIdFrom(event.detail?.metadata?.correlationId, eventId),
    ids: { eventId, detailType: String(event['detail-type']), ...(event.detail?.replay ? { deadLetterId: event.detail.replay.deadLetterId } : {}) },
  };
};

/** Forgets a (consumer, event) marker (a claim, or an own-marks consumer's failure count), so the next delivery (a replay) starts again at attempt 1. */
export const forgetConsumed = async (deps: AppDeps, consumer: string, eventId: string): Promise<void> => {
  await deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: consumedKeys.key(consumer, eventId) }));
};

/** The consumer, handling each event id at most once; a failure is rethrown after the marker is released. */
export const idempotentConsumer = (consumer: EventConsumer, options: Options = {}): EventConsumer => ({
  name: consumer.name,
  handle: async (event, deps) => {
    const outcome = await consumeOnce(consumer, event, deps, options);
    if (outcome.kind === 'failed') throw outcome.error;
  },
});
