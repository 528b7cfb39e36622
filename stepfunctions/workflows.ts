import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { AppDeps } from '../shared/adapters/deps.js';
import type { StageConfig } from '../infra/config/stages.js';
import type { AppFunction, SesBinding } from '../infra/constructs/app-function.js';
import { shadowWorkflow } from './shadow/shadow.workflow.js';
import { timerWorkflow } from './timer/timer.workflow.js';

/** What a workflow construct may use: its task Lambdas are AppFunctions bound to these. */
export interface WorkflowDeps {
  stage: StageConfig;
  table: ITable;
  bus: IEventBus;
  ses: SesBinding;
}

/**
 * One workflow: `stepfunctions/<workflow>/<workflow>.workflow.ts` exports a construct (tasks as
 * AppFunctions, the chain, and a WorkflowStateMachine from infra/constructs/workflow-state-machine.ts)
 * and a factory for this registry.
 */
export interface WorkflowFactory {
  /** The workflow's name: the `keiro:workflow` tag and what subscription targets `{ kind: 'stateMachine', workflow }` name. */
  readonly workflow: string;
  /** Builds the workflow under `scope` and returns its state machine. */
  create(scope: Construct, id: string, deps: WorkflowDeps): { readonly stateMachine: IStateMachine; readonly taskFunctions?: ReadonlyMap<string, AppFunction> };
  /**
   * The same task code the Lambdas run, for the local runner: state name → handler (input → output),
   * built with the local cloud's ports.
   */
  localHandlers(deps: AppDeps): Record<string, (input: unknown) => Promise<unknown>>;
}

/**
 * Every workflow the workflows stack deploys (and the local runner runs): add one line per workflow.
 */
export const workflows: readonly WorkflowFactory[] = [
  timerWorkflow,
  shadowWorkflow,
];
