import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { IntrinsicError, localLambdaArn, resolveIntrinsics, type CfnResource, type CfnTemplate } from './intrinsics.js';

/** Tag that names a state machine as a workflow (subscription targets use this name). */
export const WORKFLOW_TAG = 'keiro:workflow';

export interface TemplateStateMachine {
  /** Stable name: the `keiro:workflow` tag, else a literal `StateMachineName`, else the logical id. */
  name: string;
  logicalId: string;
  /** The `keiro:workflow` tag value, when set. */
  workflow?: string;
  /** Pure ASL: every intrinsic resolved. */
  definition: StateMachineDefinition;
}

export interface TemplateFunction {
  logicalId: string;
  /** The synthetic local ARN that the resolved definitions use for this function. */
  arn: string;
  /** The `Handler` property (e.g. `index.handler`), for diagnostics. */
  handler?: string;
}

export interface ReadTemplate {
  stateMachines: TemplateStateMachine[];
  /** Lambda functions by local ARN and by logical id (a `Ref` resolves to the logical id). */
  functions: Map<string, TemplateFunction>;
}

const tagValue = (resource: CfnResource, key: string): string | undefined => {
  const tags = resource.Properties?.Tags;
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t: { Key?: unknown }) => t?.Key === key) as { Value?: unknown } | undefined;
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
};

/** `DefinitionString` (what CDK emits) or `Definition`, with `DefinitionSubstitutions` applied. */
const resolveDefinition = (logicalId: string, resource: CfnResource, template: CfnTemplate): StateMachineDefinition => {
  const props = resource.Properties ?? {};
  try {
    const substitutions = resolveIntrinsics(props.DefinitionSubstitutions ?? {}, template) as Record<string, unknown>;
    const substitute = (text: string) =>
      text.replace(/\$\{([^}]+)\}/g, (match, key: string) => (key in substitutions ? String(substitutions[key]) : match));
    if (props.DefinitionString !== undefined) {
      const text = resolveIntrinsics(props.DefinitionString, template);
      if (typeof text !== 'string') throw new IntrinsicError('DefinitionString did not resolve to a string');
      return JSON.parse(substitute(text)) as StateMachineDefinition;
    }
    if (props.Definition !== undefined) {
      const text = JSON.stringify(resolveIntrinsics(props.Definition, template));
      return JSON.parse(substitute(text)) as StateMachineDefinition;
    }
    throw new IntrinsicError('no DefinitionString or Definition (DefinitionS3Location is not supported)');
  } catch (error) {
    throw new Error(`state machine ${logicalId}: ${(error as Error).message}`, { cause: error });
  }
};

const stableName = (logicalId: string, resource: CfnResource, workflow: string | undefined): string => {
  const literalName = resource.Properties?.StateMachineName;
  return workflow ?? (typeof literalName === 'string' ? literalName : logicalId);
};

/** Finds every state machine and Lambda function of a synthesized CloudFormation template. */
export const readTemplate = (template: CfnTemplate): ReadTemplate => {
  const resources = Object.entries(template.Resources ?? {});
  const functions = new Map<string, TemplateFunction>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handler = resource.Properties?.Handler;
    const fn = { logicalId, arn: localLambdaArn(logicalId), ...(typeof handler === 'string' ? { handler } : {}) };
    functions.set(fn.arn, fn).set(logicalId, fn);
  }
  const stateMachines = resources
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]): TemplateStateMachine => {
      const workflow = tagValue(resource, WORKFLOW_TAG);
      return {
        name: stableName(logicalId, resource, workflow),
        logicalId,
        ...(workflow ? { workflow } : {}),
        definition: resolveDefinition(logicalId, resource, template),
      };
    });
  return { stateMachines, functions };
};
