import { expect } from 'vitest';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { createLocalSfnRunner, type CfnTemplate, type LocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localShadowRunStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { shadowWorkflow } from '../../stepfunctions/shadow/shadow.workflow.js';
import type { E2eApi } from './e2e.js';
import { waitFor } from './events.js';

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

/**
 * Starts a shadow run as the org admin (202, its Location naming it) and follows it to its result; a run
 * that fails fails the test.
 */
export const shadowToEnd = async <R extends { id: string; status: string }>(api: E2eApi, body: Record<string, unknown>): Promise<R> => {
  const started = await api.call<R>('u-admin', 'POST', '/v1/shadow-runs', { body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/v1/shadow-runs/${started.body.id}`);
  return waitFor(async () => {
    const run = (await api.call<R>('u-admin', 'GET', `/v1/shadow-runs/${started.body.id}`)).body;
    expect(run.status).not.toBe('failed');
    return run.status === 'done' ? run : undefined;
  }, 'the shadow run', 60_000);
};
