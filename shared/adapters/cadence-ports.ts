import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from './deps.js';
import { CadenceEnvSchema, type CadencePorts } from '../config/cadence.js';
import { configKeys } from '../db/keys.js';

const KEY_NAME = 'unsubscribe-signing-key';

/**
 * The unsubscribe signing key of the deployment: made once (32 random bytes, a conditional put, so
 * every Lambda agrees on the first one written) and read once per container, on first use. Rotating it invalidates the
 * links in mail already sent; functions/cadences/README.md says how.
 */
export const loadUnsubscribeKey = async (deps: Pick<AppDeps, 'db' | 'tableName'>): Promise<Uint8Array> => {
  const read = async () => (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: configKeys.key(KEY_NAME), ConsistentRead: true }))).Item?.value as string | undefined;
  const existing = await read();
  if (existing) return Buffer.from(existing, 'base64');
  try {
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...configKeys.key(KEY_NAME), entity: 'Config', value: randomBytes(32).toString('base64') }, ConditionExpression: 'attribute_not_exists(PK)' }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const made = await read();
  if (!made) throw new Error('The unsubscribe signing key could not be read back');
  return Buffer.from(made, 'base64');
};

/** A load run once and shared by every caller; a failed load is forgotten, so the next caller tries again. */
const loadOnce = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
};

/**
 * Cadence ports of a Lambda: settings from the environment (parsed once; a bad value fails the cold
 * start) and the key, read on first use rather than at cold start: only sends and unsubscribes need
 * it, and a DynamoDB call at import was the largest part of these functions' module load.
 */
export const cadencePortsFromEnv = (deps: Pick<AppDeps, 'db' | 'tableName'>, source: Record<string, string | undefined> = process.env): CadencePorts => {
  const parsed = CadenceEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    unsubscribeKey: loadOnce(() => loadUnsubscribeKey(deps)),
    publicApiUrl: parsed.data.PUBLIC_API_URL,
    inboundDomain: parsed.data.INBOUND_EMAIL_DOMAIN,
    orgTimeZone: parsed.data.ORG_TIME_ZONE,
    sendRatePerSecond: parsed.data.SES_SEND_RATE,
  };
};
