import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { idempotencyKeys } from '../db/keys.js';
import { putQuotes, recordPartitionsIn } from '../db/quotes.js';
import type { OperationResult } from './operation.js';
import { Conflict, Unprocessable, Invalid } from '../domain/errors.js';

/** Replays within 24 h return the first response (functions/README.md, "Idempotency"). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** A request still "in progress" after this long is taken to have crashed; a retry may take over. */
export const IDEMPOTENCY_LOCK_SECONDS = 60;

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface IdempotencyItem {
  status: 'IN_PROGRESS' | 'COMPLETED';
  requestHash: string;
  lockedUntil: number;
  expiresAt: number;
  response?: StoredResponse;
}

export const requestHash = (method: string, path: string, body: string | undefined): string =>
  createHash('sha256').update(`${method}\n${path}\n${body ?? ''}`).digest('hex');

export type Claim = { kind: 'claimed'; lockedUntil: number } | { kind: 'replay'; response: StoredResponse };

/**
 * Claims an idempotency key for this request.
 * Steps: conditional put (new key, or an expired one) → on conflict read the holder:
 * different body → 422; completed → replay; in progress and fresh → 409; in progress and stale → take over.
 */
export const claimIdempotencyKey = async (
  deps: AppDeps,
  userId: string,
  key: string,
  hash: string,
): Promise<Claim> => {
  if (key.length === 0 || key.length > 255) {
    throw new Invalid('Invalid Idempotency-Key', [{ path: 'Idempotency-Key', message: 'Must be 1 to 255 characters' }]);
  }
  const nowSec = Math.floor(deps.clock().getTime() / 1000);
  const item: IdempotencyItem = {
    status: 'IN_PROGRESS',
    requestHash: hash,
    lockedUntil: nowSec + IDEMPOTENCY_LOCK_SECONDS,
    expiresAt: nowSec + IDEMPOTENCY_TTL_SECONDS,
  };
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...idempotencyKeys.key(userId, key), entity: 'Idempotency', ...item },
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSec },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'claimed', lockedUntil: item.lockedUntil };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const holder = error.Item as unknown as
      | { requestHash?: { S?: string }; status?: { S?: string }; lockedUntil?: { N?: string }; response?: { S?: string }; committed?: { BOOL?: boolean } }
      | undefined;
    const holderHash = holder?.requestHash?.S;
    if (holderHash !== hash) {
      throw new Unprocessable('This Idempotency-Key was already used with a different request');
    }
    if (holder?.status?.S === 'COMPLETED' && holder.response?.S) {
      return { kind: 'replay', response: JSON.parse(holder.response.S) as StoredResponse };
    }
    const lockedUntil = Number(holder?.lockedUntil?.N ?? 0);
    if (lockedUntil > nowSec) throw new Conflict('A request with this Idempotency-Key is still in progress');
    // The first request's writes committed but its response was never stored (it crashed in between):
    // running the command again would apply it twice.
    if (holder?.committed?.BOOL) {
      throw new Conflict('The first request with this Idempotency-Key was applied, but its response was lost: read the resource instead of retrying');
    }
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: idempotencyKeys.key(userId, key),
          UpdateExpression: 'SET lockedUntil = :next',
          ConditionExpression: '#status = :inProgress AND lockedUntil = :seen AND attribute_not_exists(committed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': nowSec + IDEMPOTENCY_LOCK_SECONDS,
            ':inProgress': 'IN_PROGRESS',
            ':seen': lockedUntil,
          },
        }),
      );
      return { kind: 'claimed', lockedUntil: nowSec + IDEMPOTENCY_LOCK_SECONDS };
    } catch (takeOverError) {
      if (takeOverError instanceof ConditionalCheckFailedException) {
        throw new Conflict('A request with this Idempotency-Key is still in progress');
      }
      throw takeOverError;
    }
  }
};

/**
 * Stores the response the first request produced; replays return exactly it. A response that carries
 * records (a created or changed record, a run's loaded ones) copies their values: each is quoted first,
 * so erasing one scrubs the stored response too (shared/db/quotes.ts).
 */
export const completeIdempotencyKey = async (
  deps: AppDeps,
  userId: string,
  key: string,
  response: OperationResult,
): Promise<void> => {
  const stored: StoredResponse = { status: response.status, body: response.body, ...(response.headers ? { headers: response.headers } : {}) };
  await putQuotes(deps, recordPartitionsIn(response.body), idempotencyKeys.key(userId, key));
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: idempotencyKeys.key(userId, key),
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': JSON.stringify(stored) },
    }),
  );
};

/**
 * A request that failed unexpectedly releases its key so the client can retry — unless its writes
 * already committed: then the key stays, and a retry learns it was applied instead of applying it again.
 */
export const releaseIdempotencyKey = async (deps: AppDeps, userId: string, key: string): Promise<void> => {
  try {
    await deps.db.send(
      new DeleteCommand({ TableName: deps.tableName, Key: idempotencyKeys.key(userId, key), ConditionExpression: 'attribute_not_exists(committed)' }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
