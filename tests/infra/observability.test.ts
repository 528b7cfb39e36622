import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_METRIC_GROUPS, BUSINESS_METRICS } from '../../shared/adapters/business-metrics.js';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../infra/app.js';
import { logicalId, resourcesOfType, synthKeiro, TEST_CONTEXT, type SynthesizedKeiro } from './support/synth.js';

let keiro: SynthesizedKeiro;
let alarms: Array<{ AlarmName: string; MetricName?: string; Namespace?: string; Dimensions?: Array<{ Name: string; Value: unknown }>; AlarmActions: unknown[] }>;
beforeAll(() => {
  keiro = synthKeiro('prod');
  alarms = resourcesOfType(keiro.templates.observability, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as (typeof alarms)[number]);
});

describe('observability stack', () => {
  it('alarms on errors and throttles of every Lambda function in the templates, inbound mail included', () => {
    // Every function of every stack, by the id an alarm names it with: its own Ref, or the export of it another stack imports.
    const exportsOf = Object.values(keiro.templates).flatMap((t) =>
      Object.values(((t.toJSON() as { Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }> }).Outputs ?? {})).filter((o) => o.Export),
    );
    const functionOf = (value: unknown): string | undefined => {
      const ref = (value as { Ref?: string }).Ref;
      if (ref) return ref;
      const imported = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
      return (exportsOf.find((o) => o.Export!.Name === imported)?.Value as { Ref?: string } | undefined)?.Ref;
    };
    const functions = Object.values(keiro.templates).flatMap((t) => resourcesOfType(t, 'AWS::Lambda::Function').map(([id]) => id));
    expect(functions).toContain(logicalId(keiro.workflows.inboundMail.fn.fn));
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric).map((a) => functionOf(a.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value));
      expect(watched.sort(), metric).toEqual([...functions].sort());
    }
  });

  it('a Lambda function the app does not list for alarms fails the synth', () => {
    const app = buildApp({ context: { ...TEST_CONTEXT, stage: 'dev' }, nag: false, cloudFormationValidation: false });
    new lambda.Function(app.workflows, 'Unwatched', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    expect(() => app.app.synth()).toThrow(/without error and throttle alarms.*Unwatched/);
  });

  it("switches off cfn-lint's one false error (E3002: its schema predates Tags on dashboards) on the dashboard only", () => {
    const withIgnores = Object.values(keiro.templates).flatMap((t) =>
      Object.values((t.toJSON() as { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> }).Resources).filter((r) => r.Metadata?.['cfn-lint']),
    );
    expect(withIgnores).toEqual([expect.objectContaining({ Type: 'AWS::CloudWatch::Dashboard', Metadata: expect.objectContaining({ 'cfn-lint': { config: { ignore_checks: ['E3002'] } } }) })]);
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

describe('the dashboard', () => {
  const body = (): any => {
    const [dashboard] = resourcesOfType(keiro.templates.observability, 'AWS::CloudWatch::Dashboard').map(([, d]) => d.Properties as { DashboardBody: unknown });
    // The body is an Fn::Join of literal JSON and tokens (function names, the API id): resolve the tokens to placeholders.
    const parts = (dashboard!.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
  };

  it('graphs every business figure (EMF, Keiro namespace, summed over its dimensions), not only errors', () => {
    const widgets: any[] = body().widgets;
    const expressions = widgets.flatMap((w) => (w.properties?.metrics ?? []).map((m: any[]) => m.find((x) => x && typeof x === 'object' && 'expression' in x)).filter(Boolean));
    for (const name of Object.keys(BUSINESS_METRICS)) {
      expect(expressions.find((e: any) => e.label === name), name).toMatchObject({ expression: `SUM(SEARCH('Namespace="Keiro" MetricName="${name}"', 'Sum', 300))` });
    }
    const titles = widgets.map((w) => w.properties?.title);
    for (const group of BUSINESS_METRIC_GROUPS) expect(titles).toContain(group.title);
    expect(titles).toEqual(expect.arrayContaining(['Lambda errors', 'API requests and errors', 'Alarms']));
    // Every widget fits the 24-column grid.
    for (const w of widgets) expect(w.x + w.width, w.properties?.title).toBeLessThanOrEqual(24);
  });
});

describe('Powertools on every Lambda, X-Ray on functions and state machines', () => {
  it('every function traces actively and names its Powertools service and the Keiro metrics namespace', () => {
    const functions = Object.values(keiro.templates).flatMap((t) => resourcesOfType(t, 'AWS::Lambda::Function'));
    const ours = functions.filter(([, f]) => (f.Properties as any).Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(ours.length).toBeGreaterThanOrEqual(1 + keiro.api.areaFunctions.size + keiro.workflows.consumers.size);
    for (const [id, f] of ours) {
      const props = f.Properties as any;
      expect(props.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables, id).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Keiro', POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^keiro-/) });
    }
  });

  it('every state machine has X-Ray tracing on', () => {
    for (const [id, sm] of resourcesOfType(keiro.templates.workflows, 'AWS::StepFunctions::StateMachine')) {
      expect((sm.Properties as any).TracingConfiguration, id).toEqual({ Enabled: true });
    }
  });
});
