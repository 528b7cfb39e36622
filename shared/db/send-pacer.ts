import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { sendRateKeys } from './keys.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for a slot under the account's send rate, shared by every sender (Lambdas, local tasks):
 * one counter item per wall-clock second, incremented only while under `ratePerSecond`. A full
 * second makes the caller wait for the next one. Gives up (false) after `maxWaitSeconds`.
 */
export const acquireSendSlot = async (deps: AppDeps, ratePerSecond: number, maxWaitSeconds = 30): Promise<boolean> => {
  for (let i = 0; i <= maxWaitSeconds * 4; i++) {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: sendRateKeys.key(second),
          UpdateExpression: 'SET expiresAt = :ttl ADD sent :one',
          ConditionExpression: 'attribute_not_exists(sent) OR sent < :rate',
          ExpressionAttributeValues: { ':one': 1, ':rate': ratePerSecond, ':ttl': second + 120 },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await sleep(Math.max(5, (second + 1) * 1000 - now));
    }
  }
  return false;
};
