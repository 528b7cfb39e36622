import { log } from '../../shared/adapters/telemetry.js';
import { buildApp } from '../app.js';
import { workflows, type WorkflowFactory } from '../../stepfunctions/workflows.js';
import type { ShadowRunStarter, TimerStarter } from '../../shared/adapters/sfn.js';
import { SHADOW_WORKFLOW } from '../constructs/shadow-arn.js';
import { TIMER_WORKFLOW } from '../constructs/timer-arn.js';
import type { LocalServiceFactory } from './local-cloud.js';
import { timedInvocation, type InvocationListener } from './invocations.js';
import { createLocalSfnRunner, type CfnTemplate, type LocalExecution, type LocalHandler, type LocalSfnRunner } from './sfn/index.js';

/**
 * The workflows stack's template, synthesized from the same CDK constructs that deploy, without
 * bundling, cdk-nag or CloudFormation schema validation (the runner needs only the ASL and which
 * Lambda each task calls).
 */
export const synthWorkflowsTemplate = (registry: readonly WorkflowFactory[] = workflows): CfnTemplate => {
  // CloudFormation schema validation would cost ~10 s per start here (`npx cdk synth` still runs it).
  const { app, workflows: stack } = buildApp({ context: { bundling: 'false' }, nag: false, requireAlarms: false, workflows: registry, cloudFormationValidation: false });
  return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
};

/** The local runner as the `timers` port: idempotent on the execution name, like StartExecution. */
export const localTimerStarter = (runner: LocalSfnRunner, onStarted?: (execution: LocalExecution) => void): TimerStarter => ({
  start: async (executionName, input) => {
    if (await runner.describeExecution(executionName)) return 'already-started';
    const execution = await runner.startWorkflow(TIMER_WORKFLOW, input, { executionId: executionName });
    // Follow the outcome: a failed wake is reported here (AWS: the failed-executions alarm).
    void execution.result.then((outcome) => {
      if (outcome.status === 'FAILED') console.error(`Timer ${executionName} failed: ${outcome.error} ${outcome.cause}`);
    });
    onStarted?.(execution);
    return 'started';
  },
});

/** The local runner as the `shadowRuns` port (a run already started is left alone, like StartExecution of a used name). */
export const localShadowRunStarter = (runner: LocalSfnRunner): ShadowRunStarter => ({
  start: async (executionName, input) => {
    if (await runner.describeExecution(executionName)) return;
    const execution = await runner.startWorkflow(SHADOW_WORKFLOW, input, { executionId: executionName });
    void execution.result.then((outcome) => {
      if (outcome.status === 'FAILED') console.error(`Shadow run ${input.runId} failed: ${outcome.error} ${outcome.cause}`);
    });
  },
});

export interface StateMachinesService {
  factory: LocalServiceFactory;
  /** For the event router: start the state machine tagged with this workflow name. */
  startWorkflow: (workflow: string, input: unknown, options: { executionId?: string }) => Promise<unknown>;
}

export interface StateMachinesObserver {
  /** Hears each task's Lambda invocation, named by the key of its local handler. */
  onInvoke?: InvocationListener;
  /** Hears each execution started (its visited states are its transitions). */
  onExecution?: (execution: LocalExecution) => void;
}

/**
 * `npm start`'s Step Functions: the ASL that CDK synthesizes, run by aws-local-stepfunctions with each
 * task mapped to the workflow's local handler, waits scaled by --time-scale, and every execution that
 * was running when the last session stopped re-created from DynamoDB.
 */
export const stateMachinesService = (registry: readonly WorkflowFactory[] = workflows, observer: StateMachinesObserver = {}): StateMachinesService => {
  let runner: LocalSfnRunner | undefined;
  const factory: LocalServiceFactory = async (cloud, options) => {
    const served: Record<string, LocalHandler> = Object.assign({}, ...registry.map((w) => w.localHandlers(cloud.deps)));
    const handlers = Object.fromEntries(Object.entries(served).map(([key, handler]) => [key, (input: unknown) => timedInvocation(observer.onInvoke, key, () => Promise.resolve(handler(input)))]));
    runner = createLocalSfnRunner({
      // Synthesizing costs seconds; with no workflows there is nothing to run.
      template: registry.length > 0 ? synthWorkflowsTemplate(registry) : [],
      handlers,
      db: cloud.deps.db,
      tableName: cloud.deps.tableName,
      // The cloud's clock may change its scale while it runs (npm run demo): running waits follow it.
      timeScale: cloud.time ? { current: cloud.time.timeScale, onChange: cloud.time.onChange } : options.timeScale,
      // The cloud's clock (scaled with the time scale): a wait until a time lasts (time - now) / scale.
      clock: cloud.deps.clock,
      onError: (error, executionId) => log.error('State machine execution failed to run', error, { executionId }),
      onWarning: (message, executionId) => log.warn(`State machine task: ${message}`, { executionId }),
    });
    const local = runner;
    // The shared timer's port (shared/db/timers.ts): an execution of the `timer` workflow under the timer's name.
    if (registry.some((w) => w.workflow === TIMER_WORKFLOW)) cloud.deps.timers = localTimerStarter(local, observer.onExecution);
    // Shadow runs' paged jobs: an execution of the `shadow` workflow named after the run.
    if (registry.some((w) => w.workflow === SHADOW_WORKFLOW)) cloud.deps.shadowRuns = localShadowRunStarter(local);
    const { resumed, skipped } = await runner.recover();
    if (resumed.length + skipped.length > 0) console.log(`State machines: resumed ${resumed.length} execution(s), ${skipped.length} of unknown state machines left alone`);
    return {
      name: 'state machines',
      stop: async () => {
        delete cloud.deps.timers;
        delete cloud.deps.shadowRuns;
        await runner?.stop();
        runner = undefined;
      },
    };
  };
  return {
    factory,
    startWorkflow: async (workflow, input, opts) => {
      if (!runner) throw new Error(`The local state-machine runner is not running (workflow ${workflow})`);
      const execution = await runner.startWorkflow(workflow, input, opts);
      observer.onExecution?.(execution);
      return execution;
    },
  };
};
