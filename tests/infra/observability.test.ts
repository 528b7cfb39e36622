import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOfType, synthKeiro, type SynthesizedKeiro } from './support/synth.js';

let keiro: SynthesizedKeiro;
let alarms: Array<{ AlarmName: string; MetricName?: string; Namespace?: string; Dimensions?: Array<{ Name: string; Value: unknown }>; AlarmActions: unknown[] }>;
beforeAll(() => {
  keiro = synthKeiro('prod');
  alarms = resourcesOfType(keiro.templates.observability, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as (typeof alarms)[number]);
});

describe('observability stack', () => {
  it('alarms on errors and throttles of every Lambda', () => {
    const functions = [keiro.data.enricher, ...keiro.api.areaFunctions.values(), ...keiro.workflows.consumers.values(), ...keiro.workflows.taskFunctions.values()];
    const lambdaAlarms = alarms.filter((a) => a.Namespace === 'AWS/Lambda');
    expect(lambdaAlarms.filter((a) => a.MetricName === 'Errors')).toHaveLength(functions.length);
    expect(lambdaAlarms.filter((a) => a.MetricName === 'Throttles')).toHaveLength(functions.length);
  });

  it('alarms on the depth of every dead-letter queue', () => {
    const dlqs = [...keiro.data.deadLetterQueues, ...keiro.workflows.deadLetterQueues];
    expect(dlqs.length).toBeGreaterThanOrEqual(2 + keiro.workflows.rules.length);
    const depth = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(depth).toHaveLength(dlqs.length);
  });

  it('alarms on outbox Pipe failures and API 5xx', () => {
    const pipe = alarms.filter((a) => a.Namespace === 'AWS/EventBridge/Pipes');
    expect(pipe.map((a) => a.MetricName).sort()).toEqual(['ExecutionFailed', 'TargetStageFailed']);
    expect(alarms.some((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === '5xx')).toBe(true);
  });

  it('sends every alarm to the encrypted SNS topic, which emails the configured address', () => {
    const topicId = Object.keys(keiro.templates.observability.findResources('AWS::SNS::Topic'))[0]!;
    for (const a of alarms) expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId }]);
    keiro.templates.observability.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    keiro.templates.observability.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@crm.example.com' });
    keiro.templates.observability.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
