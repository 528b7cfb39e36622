import type { AppDeps } from '../../shared/adapters/deps.js';
import { createLocalSfnRunner, type CfnTemplate, type LocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localShadowRunStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { shadowWorkflow } from '../../stepfunctions/shadow/shadow.workflow.js';

let template: CfnTemplate | undefined;

/**
 * Shadow runs' paged job as `npm start` runs it: the ASL CDK synthesizes for stepfunctions/shadow, in
 * the local state-machine runner, with the page task's local handler; `deps.shadowRuns` starts it.
 */
export const startShadowJobs = (deps: AppDeps): LocalSfnRunner => {
  template ??= synthWorkflowsTemplate([shadowWorkflow]);
  const runner = createLocalSfnRunner({ template, handlers: shadowWorkflow.localHandlers(deps), db: deps.db, tableName: deps.tableName, retryIntervalMs: 10 });
  deps.shadowRuns = localShadowRunStarter(runner);
  return runner;
};
