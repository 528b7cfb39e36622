import { visitStates, type AslDefinition, type LocalHandler } from './asl.js';
import type { TemplateFunction } from './template.js';
import { SCALED_WAIT_RESOURCE } from './waits.js';

/**
 * How CDK's LambdaInvoke reaches the function:
 * - `lambda:invoke`: Resource `arn:aws:states:::lambda:invoke`, Parameters `{ FunctionName, Payload }`,
 *   and the task result is the Invoke response `{ Payload, StatusCode, ExecutedVersion }`;
 * - `function` (`payloadResponseOnly: true`): the function ARN is the Resource and the result is
 *   the function's answer.
 */
export type TaskForm = 'lambda:invoke' | 'function';

export interface TaskBinding {
  state: string;
  form: TaskForm;
  /** The Lambda's logical id, when the definition names a function of the template. */
  functionLogicalId?: string;
  /** The key of `handlers` serving this task: the state name, else the function's logical id. */
  handlerKey: string;
}

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke$/;
const SERVICE_INTEGRATION = /^arn:[^:]+:states:::/;
const LAMBDA_FUNCTION = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/;

const functionRef = (resource: string, parameters: unknown): { form: TaskForm; ref?: unknown } | undefined => {
  if (LAMBDA_INVOKE.test(resource)) return { form: 'lambda:invoke', ref: (parameters as { FunctionName?: unknown } | undefined)?.FunctionName };
  if (LAMBDA_FUNCTION.test(resource)) return { form: 'function', ref: resource };
  return undefined;
};

/**
 * Binds every Task state to a local handler, by state name first, then by the Lambda's logical
 * id. Returns the problems that keep the state machine from running locally instead of throwing,
 * so one unsupported workflow does not stop the others.
 */
export const bindTasks = (
  definition: AslDefinition,
  functions: Map<string, TemplateFunction>,
  handlers: Record<string, LocalHandler>,
): { bindings: TaskBinding[]; problems: string[] } => {
  const bindings: TaskBinding[] = [];
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('JSONata is not supported locally: use JSONPath');
  visitStates(definition, (state, body) => {
    if (body.QueryLanguage === 'JSONata') problems.push(`state "${state}": JSONata is not supported locally: use JSONPath`);
    if (body.Type !== 'Task' || body.Resource === SCALED_WAIT_RESOURCE) return;
    const resource = String(body.Resource);
    const target = functionRef(resource, body.Parameters);
    if (!target) {
      const what = SERVICE_INTEGRATION.test(resource) ? 'service integrations and task tokens are' : 'only Lambda tasks are';
      problems.push(`state "${state}": ${resource}: ${what} not supported locally`);
      return;
    }
    const fn = typeof target.ref === 'string' ? functions.get(target.ref) : undefined;
    const handlerKey = [state, fn?.logicalId].find((key) => key !== undefined && Object.hasOwn(handlers, key));
    if (!handlerKey) {
      const keys = [state, fn?.logicalId].filter(Boolean).map((key) => `handlers["${key}"]`).join(' or ');
      problems.push(`state "${state}": no local handler: add ${keys}`);
      return;
    }
    bindings.push({ state, form: target.form, handlerKey, ...(fn ? { functionLogicalId: fn.logicalId } : {}) });
  });
  return { bindings, problems };
};

/** Lambda answers are JSON: what the function returns is serialized, `undefined` becomes null. */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

export class ExecutionStoppingError extends Error {
  override name = 'Keiro.ExecutionStopping';
}

/** Adapts a plain handler to the task's form; refuses to start work once the execution stops. */
export const adaptHandler = (binding: TaskBinding, handler: LocalHandler, signal: AbortSignal) => async (input: unknown) => {
  // The library re-runs a retried state even after an abort: do not call the handler again.
  if (signal.aborted) throw new ExecutionStoppingError('the execution is stopping');
  try {
    if (binding.form === 'function') return asJson(await handler(input));
    const payload = asJson(await handler((input as { Payload?: unknown } | null)?.Payload));
    return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
  } catch (error) {
    // Retry/Catch match on the error's name, as with a Lambda's errorType.
    throw error instanceof Error ? error : new Error(String(error));
  }
};
