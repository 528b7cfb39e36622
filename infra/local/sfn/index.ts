/** The local Step Functions runner: see README.md in this folder. */
export { createLocalSfnRunner } from './runner.js';
export type { ExecutionOutcome, LocalExecution, LocalSfnRunner, LocalSfnRunnerOptions, StateMachineInfo } from './runner.js';
export type { LocalHandler } from './asl.js';
export type { ExecutionRecord, ExecutionStatus } from './execution-store.js';
export { localLambdaArn, resolveIntrinsics, type CfnTemplate } from './intrinsics.js';
export { readTemplate, WORKFLOW_TAG } from './template.js';
