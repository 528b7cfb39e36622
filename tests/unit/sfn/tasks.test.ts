import { describe, expect, it } from 'vitest';
import type { AslDefinition, LocalHandler } from '../../../infra/local/sfn/asl.js';
import { localLambdaArn } from '../../../infra/local/sfn/intrinsics.js';
import { adaptHandler, bindTasks } from '../../../infra/local/sfn/tasks.js';
import type { TemplateFunction } from '../../../infra/local/sfn/template.js';

const fn = (logicalId: string): TemplateFunction => ({ logicalId, arn: localLambdaArn(logicalId) });
const functions = new Map([fn('CheckFnAAAA'), fn('SendFnBBBB')].flatMap((f) => [[f.arn, f] as const, [f.logicalId, f] as const]));
const handler: LocalHandler = async (input) => input;

const definition: AslDefinition = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: localLambdaArn('CheckFnAAAA'), 'Payload.$': '$' },
      Next: 'Send',
    },
    Send: { Type: 'Task', Resource: localLambdaArn('SendFnBBBB'), End: true },
  },
};

describe('bindTasks', () => {
  it('binds both LambdaInvoke forms, by state name first, then by function logical id', () => {
    const { bindings, problems } = bindTasks(definition, functions, { Check: handler, CheckFnAAAA: handler, SendFnBBBB: handler });
    expect(problems).toEqual([]);
    expect(bindings).toEqual([
      { state: 'Check', form: 'lambda:invoke', functionLogicalId: 'CheckFnAAAA', handlerKey: 'Check' },
      { state: 'Send', form: 'function', functionLogicalId: 'SendFnBBBB', handlerKey: 'SendFnBBBB' },
    ]);
  });

  it('reports a task without a handler, naming both keys that would serve it', () => {
    const { problems } = bindTasks(definition, functions, { Check: handler });
    expect(problems).toEqual(['state "Send": no local handler: add handlers["Send"] or handlers["SendFnBBBB"]']);
  });

  it('reports service integrations, task tokens and JSONata as unsupported', () => {
    const unsupported: AslDefinition = {
      StartAt: 'Put',
      QueryLanguage: 'JSONata',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'Token' },
        Token: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true },
      },
    };
    const { problems } = bindTasks(unsupported, functions, {});
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/JSONata/);
    expect(problems.join('\n')).toMatch(/dynamodb:putItem: service integrations and task tokens are not supported/);
    expect(problems.join('\n')).toMatch(/waitForTaskToken/);
  });
});

describe('adaptHandler', () => {
  const signal = new AbortController().signal;

  it('answers lambda:invoke tasks with the Invoke response, the handler getting the Payload', async () => {
    const adapted = adaptHandler({ state: 'Check', form: 'lambda:invoke', handlerKey: 'Check' }, async (input) => ({ got: input }), signal);
    await expect(adapted({ FunctionName: 'x', Payload: { a: 1 } })).resolves.toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { got: { a: 1 } },
      StatusCode: 200,
    });
  });

  it('answers function-ARN tasks with the handler output, serialized as JSON', async () => {
    const adapted = adaptHandler({ state: 'Send', form: 'function', handlerKey: 'Send' }, async () => ({ at: new Date(0), gone: undefined }), signal);
    await expect(adapted({})).resolves.toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it('does not call the handler once the execution is stopping', async () => {
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const adapted = adaptHandler({ state: 'Send', form: 'function', handlerKey: 'Send' }, async () => (called = true), controller.signal);
    await expect(adapted({})).rejects.toThrow(/stopping/);
    expect(called).toBe(false);
  });
});
