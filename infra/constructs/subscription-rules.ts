import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { rulePattern } from '../../shared/events/replay.js';
import { validatePattern } from '../../shared/events/event-pattern.js';
import type { Subscription } from '../../functions/subscriptions.js';
import type { StageConfig } from '../config/stages.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/**
 * Retry policy of every rule target: EventBridge retries a delivery it could not make (throttled
 * Invoke/StartExecution, a missing permission) for up to a day before the target's DLQ gets it.
 * Failures inside a consumer are the consumer's (Lambda async retries, then its failure destination).
 */
export const RULE_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) } as const;

export interface SubscriptionRulesProps {
  stage: StageConfig;
  bus: events.IEventBus;
  subscriptions: readonly Subscription[];
  /** The consumer Lambda of `{ kind: 'consumer', consumer }`. */
  consumer: (name: string) => IFunction;
  /** The state machine of `{ kind: 'stateMachine', workflow }`. */
  stateMachine: (workflow: string) => IStateMachine;
}

export interface SubscriptionRule {
  subscription: Subscription;
  rule: events.Rule;
  deadLetterQueue: DeadLetterQueue;
}

/** `notify-requester` → `NotifyRequester`. */
export const subscriptionConstructId = (id: string): string =>
  id.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * One EventBridge rule per subscription (functions/subscriptions.ts) on the keiro bus, with the
 * pattern `rulePattern` builds (the subscription's own events, or a replay addressed to it), a retry
 * policy, and a DLQ of its own. A malformed pattern or a duplicate id fails the synth.
 */
export const buildSubscriptionRules = (scope: Construct, props: SubscriptionRulesProps): SubscriptionRule[] => {
  const ids = new Set<string>();
  return props.subscriptions.map((subscription) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(subscription.id)) {
      throw new Error(`Subscription id "${subscription.id}" must be kebab-case (it names the rule)`);
    }
    if (ids.has(subscription.id)) throw new Error(`Duplicate subscription id "${subscription.id}"`);
    ids.add(subscription.id);
    const pattern = rulePattern(subscription);
    try {
      validatePattern(pattern);
    } catch (error) {
      throw new Error(`Subscription "${subscription.id}" has an invalid pattern: ${(error as Error).message}`, { cause: error });
    }

    const cid = subscriptionConstructId(subscription.id);
    const target = subscription.target;
    const deadLetterQueue = new DeadLetterQueue(scope, `${cid}RuleDlq`, {
      stage: props.stage,
      purpose: `rule ${subscription.id}: events EventBridge could not deliver to ${target.kind === 'consumer' ? `consumer ${target.consumer}` : `state machine ${target.workflow}`}`,
    });
    const rule = new events.Rule(scope, `${cid}Rule`, {
      ruleName: `${props.stage.prefix}-${subscription.id}`.slice(0, 64),
      description: subscription.description.slice(0, 512),
      eventBus: props.bus,
      eventPattern: pattern as events.EventPattern,
    });
    const options = { deadLetterQueue: deadLetterQueue.queue, ...RULE_TARGET_RETRY };
    rule.addTarget(
      target.kind === 'consumer'
        ? new targets.LambdaFunction(props.consumer(target.consumer), options)
        : new targets.SfnStateMachine(props.stateMachine(target.workflow), {
            ...options,
            // The envelope `{ metadata, data }` is the execution input.
            input: events.RuleTargetInput.fromEventPath('$.detail'),
          }),
    );
    return { subscription, rule, deadLetterQueue };
  });
};
