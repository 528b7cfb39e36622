import { describe, expect, it } from 'vitest';
import { localLambdaArn, resolveIntrinsics, type CfnTemplate } from '../../../infra/local/sfn/intrinsics.js';

const template: CfnTemplate = {
  Parameters: { Stage: { Default: 'dev' } },
  Resources: {
    CheckFnA1B2C3D4: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    TableE5F6: { Type: 'AWS::DynamoDB::Table' },
  },
};
const resolve = (value: unknown) => resolveIntrinsics(value, template);

describe('resolveIntrinsics', () => {
  it('turns a Lambda Fn::GetAtt Arn into the synthetic local ARN, in both syntaxes', () => {
    expect(resolve({ 'Fn::GetAtt': ['CheckFnA1B2C3D4', 'Arn'] })).toBe('arn:aws:lambda:local:000000000000:function:CheckFnA1B2C3D4');
    expect(resolve({ 'Fn::GetAtt': 'CheckFnA1B2C3D4.Arn' })).toBe(localLambdaArn('CheckFnA1B2C3D4'));
  });

  it('joins strings and tokens the way CDK emits a DefinitionString', () => {
    const definitionString = {
      'Fn::Join': ['', ['{"Resource":"arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke","Fn":"', { 'Fn::GetAtt': ['CheckFnA1B2C3D4', 'Arn'] }, '"}']],
    };
    expect(JSON.parse(resolve(definitionString) as string)).toEqual({
      Resource: 'arn:aws:states:::lambda:invoke',
      Fn: localLambdaArn('CheckFnA1B2C3D4'),
    });
  });

  it('resolves Ref to pseudo parameters, parameter defaults and resource logical ids', () => {
    expect(resolve([{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'Stage' }, { Ref: 'TableE5F6' }])).toEqual([
      'local',
      '000000000000',
      'dev',
      'TableE5F6',
    ]);
  });

  it('gives other resources readable placeholders', () => {
    expect(resolve({ 'Fn::GetAtt': ['TableE5F6', 'Arn'] })).toBe('arn:aws:local:local:000000000000:TableE5F6');
    expect(resolve({ 'Fn::GetAtt': ['TableE5F6', 'StreamArn'] })).toBe('TableE5F6.StreamArn');
  });

  it('resolves Fn::Sub with references, attributes, variables and escapes', () => {
    const sub = { 'Fn::Sub': ['${CheckFnA1B2C3D4.Arn}|${AWS::Region}|${name}|${!Literal}', { name: { Ref: 'Stage' } }] };
    expect(resolve(sub)).toBe(`${localLambdaArn('CheckFnA1B2C3D4')}|local|dev|\${Literal}`);
  });

  it('resolves Fn::Select and nested intrinsics inside objects and arrays', () => {
    expect(resolve({ a: [{ 'Fn::Select': [1, ['x', { Ref: 'Stage' }]] }], b: { c: 1 } })).toEqual({ a: ['dev'], b: { c: 1 } });
  });

  it('fails clearly on unknown names and unsupported intrinsics', () => {
    expect(() => resolve({ Ref: 'Nope' })).toThrow(/unknown name "Nope"/);
    expect(() => resolve({ 'Fn::GetAtt': ['Nope', 'Arn'] })).toThrow(/unknown resource "Nope"/);
    expect(() => resolve({ 'Fn::ImportValue': 'x' })).toThrow(/unsupported intrinsic Fn::ImportValue/);
  });

  it('leaves plain objects with one ordinary key alone', () => {
    expect(resolve({ Payload: { 'value.$': '$' } })).toEqual({ Payload: { 'value.$': '$' } });
  });
});
