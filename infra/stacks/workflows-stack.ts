import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Subscription } from '../../functions/subscriptions.js';
import { CONSUMER_LAMBDA_ATTEMPTS } from '../../shared/events/consumer-lambda.js';
import type { WorkflowFactory } from '../../stepfunctions/workflows.js';
import { consumerAccess } from '../config/access.js';
import type { StageConfig } from '../config/stages.js';
import { AppFunction, REPO_ROOT, type SesBinding } from '../constructs/app-function.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { buildSubscriptionRules, subscriptionConstructId, type SubscriptionRule } from '../constructs/subscription-rules.js';

export interface WorkflowsStackProps extends StackProps {
  stage: StageConfig;
  table: ITable;
  bus: IEventBus;
  ses: SesBinding;
  /** functions/subscriptions.ts */
  subscriptions: readonly Subscription[];
  /** stepfunctions/workflows.ts */
  workflows: readonly WorkflowFactory[];
}

/** Lambda entry of a bus consumer. */
export const consumerEntry = (consumer: string): string => `functions/events/${consumer}.handler.ts`;

/**
 * What reacts to events: the state machines of the workflow registry, the consumer Lambdas the
 * subscription table names, and one rule per subscription on the keiro bus. Empty but valid while
 * both tables are empty.
 */
export class WorkflowsStack extends Stack {
  readonly stateMachines = new Map<string, IStateMachine>();
  readonly consumers = new Map<string, AppFunction>();
  /** Step-task Lambdas of the workflows, by `<workflow>-<task>` (their access: TASK_ACCESS). */
  readonly taskFunctions = new Map<string, AppFunction>();
  /** Per consumer: where Lambda puts an event once every async attempt failed. */
  readonly consumerFailureQueues: DeadLetterQueue[] = [];
  readonly rules: SubscriptionRule[];

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const deps = { stage, table: props.table, bus: props.bus, ses: props.ses };

    for (const factory of props.workflows) {
      if (this.stateMachines.has(factory.workflow)) throw new Error(`Duplicate workflow "${factory.workflow}" in stepfunctions/workflows.ts`);
      const { stateMachine, taskFunctions } = factory.create(this, `${subscriptionConstructId(factory.workflow)}Workflow`, deps);
      this.stateMachines.set(factory.workflow, stateMachine);
      for (const [name, fn] of taskFunctions ?? []) this.taskFunctions.set(name, fn);
    }

    const consumer = (name: string): AppFunction => {
      const existing = this.consumers.get(name);
      if (existing) return existing;
      const entry = consumerEntry(name);
      if (!existsSync(path.join(REPO_ROOT, entry))) throw new Error(`Consumer "${name}" has no Lambda entry ${entry}`);
      const cid = subscriptionConstructId(name);
      const failures = new DeadLetterQueue(this, `${cid}FailureQueue`, {
        stage,
        purpose: `consumer ${name}: events that failed all ${CONSUMER_LAMBDA_ATTEMPTS} attempts (also recorded as dead letters in the table)`,
      });
      this.consumerFailureQueues.push(failures);
      const fn = new AppFunction(this, `${cid}Consumer`, {
        entry,
        stage,
        serviceName: `keiro-${name}`,
        description: `Keiro bus consumer: ${name}`,
        timeout: Duration.seconds(60),
        // The consumer wrapper counts attempts up to CONSUMER_LAMBDA_ATTEMPTS and dead-letters on the last.
        retryAttempts: CONSUMER_LAMBDA_ATTEMPTS - 1,
        onFailure: new SqsDestination(failures.queue),
      });
      fn.bindAccess(consumerAccess(name), deps);
      this.consumers.set(name, fn);
      return fn;
    };

    this.rules = buildSubscriptionRules(this, {
      stage,
      bus: props.bus,
      subscriptions: props.subscriptions,
      consumer: (name) => consumer(name).fn,
      stateMachine: (workflow) => {
        const sm = this.stateMachines.get(workflow);
        if (!sm) throw new Error(`A subscription targets workflow "${workflow}", which stepfunctions/workflows.ts does not register`);
        return sm;
      },
    });
  }

  get deadLetterQueues(): DeadLetterQueue[] {
    return [...this.rules.map((r) => r.deadLetterQueue), ...this.consumerFailureQueues];
  }
}
