import { ArnFormat, type Stack } from 'aws-cdk-lib';
import type { StageConfig } from '../config/stages.js';

/** The shared timer's workflow name (stepfunctions/timer) and its fixed state machine name. */
export const TIMER_WORKFLOW = 'timer';
export const timerStateMachineName = (stage: StageConfig): string => `${stage.prefix}-${TIMER_WORKFLOW}`;

/** The timer state machine's ARN, from its fixed name (in the stack's account and region). */
export const timerStateMachineArn = (stack: Stack, stage: StageConfig): string =>
  stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: timerStateMachineName(stage), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
