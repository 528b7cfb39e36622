import { depsFromEnv, type AppDeps } from '../adapters/deps.js';
import { parseEnv, type Env } from '../config/env.js';
import { recordDeadLetter, recordReplayOutcome } from '../db/dead-letters-repo.js';
import type { EventConsumer } from './consumer.js';
import type { BusEvent } from './envelope.js';
import type { Context } from 'aws-lambda';
import { redactedError, withLambdaContext } from '../adapters/telemetry.js';
import { matchesPattern } from './event-pattern.js';
import { consumeOnce, eventIdOf, forgetConsumed } from './idempotent-consumer.js';
import { rulePattern } from './replay.js';

/**
 * Attempts per event in AWS: EventBridge invokes consumer Lambdas asynchronously, and Lambda retries a
 * failed async invocation twice by default. The CDK sets the consumer functions' `retryAttempts` to
 * CONSUMER_LAMBDA_ATTEMPTS - 1, so the attempt that reaches this number is the last one.
 */
export const CONSUMER_LAMBDA_ATTEMPTS = 3;

/** The parts of a subscription (functions/subscriptions.ts) this wrapper reads. */
export interface SubscriptionRef {
  id: string;
  pattern: Record<string, unknown>;
  target: { kind: 'consumer'; consumer: string } | { kind: 'stateMachine'; workflow: string };
}

export interface ConsumerLambdaOptions {
  /** The subscription table: names the subscription a dead letter belongs to (for its replay). */
  subscriptions: readonly SubscriptionRef[];
  maxAttempts?: number;
  leaseSeconds?: number;
  /** Extra ports built from the environment at cold start (e.g. `timerPorts` for a consumer that starts timers). */
  ports?: (env: Env) => Partial<AppDeps>;
}

const subscriptionOf = (consumer: string, event: BusEvent, subscriptions: readonly SubscriptionRef[]): string => {
  if (event.detail?.replay) return event.detail.replay.subscriptionId;
  const mine = subscriptions.filter((s) => s.target.kind === 'consumer' && s.target.consumer === consumer);
  return (mine.find((s) => matchesPattern(rulePattern(s), event)) ?? mine[0])?.id ?? `unsubscribed:${consumer}`;
};

/**
 * A consumer as an EventBridge rule target.
 * Steps: run it at most once per event id (consumeOnce) → success of a replay: mark its dead letter
 * replayed → failure before the last attempt: rethrow (Lambda retries) → failure on the last attempt:
 * record a dead letter in the table (or mark the replayed one failed), forget the marker so a replay
 * starts afresh, and rethrow (so Lambda's own failure destination and the error metrics see it too).
 * What is rethrown is redacted (Lambda logs it): no email address or phone number reaches the logs.
 */
export const createConsumerHandler =
  (consumer: EventConsumer, deps: AppDeps, options: ConsumerLambdaOptions) =>
  async (event: BusEvent, context?: Context): Promise<void> => {
    withLambdaContext(context);
    const maxAttempts = options.maxAttempts ?? CONSUMER_LAMBDA_ATTEMPTS;
    const replay = event.detail?.replay;
    const outcome = await consumeOnce(consumer, event, deps, options.leaseSeconds ? { leaseSeconds: options.leaseSeconds } : {});
    if (outcome.kind !== 'failed') {
      if (replay) await recordReplayOutcome(deps, replay.deadLetterId, { ok: true });
      return;
    }
    if (outcome.attempt >= maxAttempts) {
      if (replay) await recordReplayOutcome(deps, replay.deadLetterId, { ok: false, error: outcome.error, attempts: outcome.attempt });
      else {
        await recordDeadLetter(deps, {
          subscriptionId: subscriptionOf(consumer.name, event, options.subscriptions),
          target: { kind: 'consumer', consumer: consumer.name },
          origin: 'consumer-lambda',
          event,
          error: outcome.error,
          attempts: outcome.attempt,
        });
      }
      await forgetConsumed(deps, consumer.name, eventIdOf(event));
    }
    // Lambda logs what a handler throws: the redacted copy (the dead letter keeps the original's text).
    throw redactedError(outcome.error);
  };

/** The Lambda entry for a consumer: env parsed and ports built once, at cold start. */
export const consumerLambda = (consumer: EventConsumer, options: ConsumerLambdaOptions) => {
  const env = parseEnv();
  return createConsumerHandler(consumer, depsFromEnv(env, options.ports?.(env) ?? {}), options);
};
