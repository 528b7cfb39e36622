import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { ulid } from 'ulid';
import type { Env } from '../config/env.js';
import { traced } from './tracer.js';
import type { RetryBudget } from '../db/backoff.js';
import type { DeadLetterReplayer } from '../events/replay.js';
import type { CadencePorts } from '../config/cadence.js';
import type { ShadowRunStarter, TimerStarter } from './sfn.js';
import type { WebhookConfig } from './webhooks.js';

export type Clock = () => Date;

/**
 * The ports every use case receives. Lambdas build one set at module scope from the
 * environment; the local cloud and tests build their own (other table, endpoints, clock).
 */
export interface AppDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  ses: SESv2Client;
  /** `senderName`: the organisation's display name (From name, customer emails' signature). */
  mail: { from: string; senderName?: string; configurationSet?: string };
  clock: Clock;
  /** Business seconds per wall-clock second right now (`GET /v1/health` says it). Absent: 1, as in AWS; the local cloud's `--time-scale`. */
  timeScale?: () => number;
  /** The local cloud only: makes business time run that many times faster from now on (`PUT /v1/dev/time-scale`). Absent in AWS. */
  setTimeScale?: (scale: number) => void;
  newId: () => string;
  defaultPhoneRegion: string;
  /** Hands a dead letter back to its target (admin replay). Local: the event router; AWS: the bus (see eventbridge.ts). */
  deadLetterReplayer?: DeadLetterReplayer;
  /** Cadence sending and reactions (shared/config/cadence.ts builds it from the environment). */
  cadence?: CadencePorts;
  /** Starts executions of the shared timer (shared/db/timers.ts). Local: the state-machine runner; AWS: `timerPorts(env)` (shared/adapters/sfn.ts), which only the functions that start timers import. */
  timers?: TimerStarter;
  /** Starts shadow runs' paged jobs. Local: the state-machine runner; AWS: `shadowPorts(env)` (shared/adapters/sfn.ts), in the automation area only. */
  shadowRuns?: ShadowRunStarter;
  /** Webhook actions (signing key, SSRF guard). Absent: webhook actions are refused as not configured. */
  webhooks?: WebhookConfig;
  /**
   * How long a PATCH without If-Match keeps re-reading after lost races (default OPTIMISTIC_WRITE_BUDGET
   * in shared/db/backoff.ts). Tests on a heavily loaded machine widen its elapsed part, which is a guard
   * against the Lambda timeout, not part of the promise that concurrent patches all land.
   */
  writeRetryBudget?: RetryBudget;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const createDocumentClient = (region: string, endpoint?: string): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    traced(new DynamoDBClient({ region, ...(endpoint ? { endpoint, credentials: localCredentials } : {}) })),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );

export const createSesClient = (region: string, endpoint?: string): SESv2Client =>
  traced(new SESv2Client({ region, ...(endpoint ? { endpoint, credentials: localCredentials } : {}) }));

export const depsFromEnv = (env: Env, overrides: Partial<AppDeps> = {}): AppDeps => ({
  db: createDocumentClient(env.AWS_REGION, env.DYNAMODB_ENDPOINT),
  tableName: env.TABLE_NAME,
  ses: createSesClient(env.AWS_REGION, env.SES_ENDPOINT),
  mail: { from: env.MAIL_FROM, senderName: env.MAIL_SENDER_NAME, ...(env.SES_CONFIGURATION_SET ? { configurationSet: env.SES_CONFIGURATION_SET } : {}) },
  clock: () => new Date(),
  newId: ulid,
  defaultPhoneRegion: env.DEFAULT_PHONE_REGION,
  ...overrides,
});
