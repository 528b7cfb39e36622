import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplate } from '../../infra/local/sfn/template.js';
import type { CfnTemplate } from '../../infra/local/sfn/index.js';
import { workflows } from '../../stepfunctions/workflows.js';
import { synthKeiro, type SynthesizedKeiro } from './support/synth.js';

// Every Lambda task outlasts its Lambda: in AWS an attempt is dead before its retry starts, which the
// timer's claims rely on and the local runner reproduces (infra/local/sfn/README.md, "Task timeouts").

type State = { Type: string; Resource?: unknown; Parameters?: Record<string, unknown>; TimeoutSeconds?: number } & Record<string, unknown>;
type States = Record<string, State>;

interface LambdaTask {
  stateMachine: string;
  state: string;
  /** The invoked function's logical id. */
  functionId: string;
  timeoutSeconds: number | undefined;
  functionTimeout: number;
}

/** Lambda's own default when a function sets no `Timeout`. */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

/** Every state, nested ones too (Parallel branches, Map iterators): a task anywhere is held to the rule. */
const allStates = (states: States): Array<[string, State]> =>
  Object.entries(states).flatMap(([name, state]) => {
    const branches = (state.Branches as Array<{ States: States }> | undefined) ?? [];
    const iterator = (state.ItemProcessor ?? state.Iterator) as { States: States } | undefined;
    const nested = [...branches, ...(iterator ? [iterator] : [])].flatMap((b) => allStates(b.States));
    return [[name, state] as [string, State], ...nested];
  });

/**
 * The function a Task invokes, as a local ARN (the definitions' Fn::Join / Fn::GetAtt / Ref already
 * resolved by the local runner's template reader): a direct `Resource` (payloadResponseOnly) or the
 * `lambda:invoke` integration's `FunctionName`.
 */
const invokedFunction = (state: State): unknown => {
  const resource = String(state.Resource ?? '');
  if (resource.startsWith('arn:aws:states:::lambda:invoke')) return state.Parameters?.FunctionName;
  return resource.includes(':lambda:') ? resource : undefined;
};

const lambdaTasks = (template: CfnTemplate): LambdaTask[] => {
  const { stateMachines, functions } = readTemplate(template);
  return stateMachines.flatMap((machine) =>
    allStates((machine.definition as unknown as { States: States }).States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]): LambdaTask => {
        const arn = invokedFunction(state);
        const fn = functions.get(String(arn)) ?? functions.get(String(arn).replace(/:[^:]+$/, ''));
        if (!fn) throw new Error(`${machine.name}.${name}: invokes ${JSON.stringify(arn)}, not a Lambda function of this stack`);
        const timeout = template.Resources![fn.logicalId]!.Properties?.Timeout;
        return {
          stateMachine: machine.name,
          state: name,
          functionId: fn.logicalId,
          timeoutSeconds: state.TimeoutSeconds,
          functionTimeout: typeof timeout === 'number' ? timeout : LAMBDA_DEFAULT_TIMEOUT_SECONDS,
        };
      }),
  );
};

let keiro: SynthesizedKeiro;
let tasks: LambdaTask[];

beforeAll(() => {
  keiro = synthKeiro('prod');
  tasks = Object.values(keiro.templates).flatMap((template) => lambdaTasks(template.toJSON() as CfnTemplate));
}, 120_000);

describe('Step Functions task timeouts', () => {
  it('finds the Lambda tasks of every workflow\'s state machine', () => {
    const machines = new Set(tasks.map((t) => t.stateMachine));
    expect([...machines].sort()).toEqual(workflows.map((w) => w.workflow).sort());
    expect(tasks.length).toBeGreaterThanOrEqual(workflows.length);
  });

  it('gives every Lambda task a TimeoutSeconds longer than its function\'s Timeout', () => {
    const tooShort = tasks
      .filter((t) => t.timeoutSeconds === undefined || t.timeoutSeconds <= t.functionTimeout)
      .map((t) => `${t.stateMachine}.${t.state}: task ${t.timeoutSeconds ?? 'none'} s, Lambda ${t.functionId} ${t.functionTimeout} s`);
    expect(tooShort).toEqual([]);
  });
});
