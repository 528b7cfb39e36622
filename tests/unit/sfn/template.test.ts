import { describe, expect, it } from 'vitest';
import { localLambdaArn, type CfnTemplate } from '../../../infra/local/sfn/intrinsics.js';
import { readTemplate } from '../../../infra/local/sfn/template.js';

/** The shape CDK synthesizes for a LambdaInvoke state (DefinitionString = Fn::Join of text and tokens). */
const cdkDefinition = (fnLogicalId: string) => ({
  'Fn::Join': [
    '',
    [
      '{"StartAt":"Check","States":{"Check":{"End":true,"Type":"Task","Resource":"arn:',
      { Ref: 'AWS::Partition' },
      ':states:::lambda:invoke","Parameters":{"FunctionName":"',
      { 'Fn::GetAtt': [fnLogicalId, 'Arn'] },
      '","Payload.$":"$"}}}}',
    ],
  ],
});

const template: CfnTemplate = {
  Resources: {
    CheckFn12345678: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Tagged: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: cdkDefinition('CheckFn12345678'), Tags: [{ Key: 'keiro:workflow', Value: 'cadence' }] },
    },
    Named: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'named-machine', DefinitionString: cdkDefinition('CheckFn12345678') } },
    Anonymous: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"${greeting}","End":true}}}',
        DefinitionSubstitutions: { greeting: { 'Fn::Join': ['-', ['hello', { Ref: 'AWS::Region' }]] } },
      },
    },
  },
};

describe('readTemplate', () => {
  const read = readTemplate(template);

  it('names state machines by keiro:workflow tag, else literal StateMachineName, else logical id', () => {
    expect(read.stateMachines.map((sm) => [sm.name, sm.logicalId, sm.workflow])).toEqual([
      ['cadence', 'Tagged', 'cadence'],
      ['named-machine', 'Named', undefined],
      ['Anonymous', 'Anonymous', undefined],
    ]);
  });

  it('resolves the definition to pure ASL with the synthetic function ARN', () => {
    expect(read.stateMachines[0]?.definition).toEqual({
      StartAt: 'Check',
      States: {
        Check: {
          End: true,
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: localLambdaArn('CheckFn12345678'), 'Payload.$': '$' },
        },
      },
    });
  });

  it('applies DefinitionSubstitutions', () => {
    expect(read.stateMachines[2]?.definition.States.P).toEqual({ Type: 'Pass', Result: 'hello-local', End: true });
  });

  it('maps each Lambda by its local ARN and by its logical id', () => {
    const fn = { logicalId: 'CheckFn12345678', arn: localLambdaArn('CheckFn12345678'), handler: 'index.handler' };
    expect(read.functions.get(fn.arn)).toEqual(fn);
    expect(read.functions.get('CheckFn12345678')).toEqual(fn);
  });

  it('names the state machine in the error when a definition cannot be resolved', () => {
    const broken: CfnTemplate = {
      Resources: { Broken: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::GetAtt': ['Missing', 'Arn'] } } } },
    };
    expect(() => readTemplate(broken)).toThrow(/state machine Broken: Fn::GetAtt on unknown resource "Missing"/);
  });
});
