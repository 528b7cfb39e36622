import { ArnFormat, type Stack } from 'aws-cdk-lib';
import type { StageConfig } from '../config/stages.js';

/** The shadow runs' workflow name (stepfunctions/shadow) and its fixed state machine name. */
export const SHADOW_WORKFLOW = 'shadow';
export const shadowStateMachineName = (stage: StageConfig): string => `${stage.prefix}-${SHADOW_WORKFLOW}`;

/** The shadow state machine's ARN, from its fixed name (the automation area starts runs without a reference across stacks). */
export const shadowStateMachineArn = (stack: Stack, stage: StageConfig): string =>
  stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: shadowStateMachineName(stage), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
