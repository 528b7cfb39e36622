import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscriptions, type Subscription } from '../../functions/subscriptions.js';
import { WORKFLOW_TAG } from '../../infra/constructs/workflow-state-machine.js';
import { WorkflowStateMachine } from '../../infra/constructs/workflow-state-machine.js';
import { RULE_TARGET_RETRY } from '../../infra/constructs/subscription-rules.js';
import { WORKFLOW_TAG as LOCAL_RUNNER_WORKFLOW_TAG } from '../../infra/local/sfn/template.js';
import { CONSUMER_LAMBDA_ATTEMPTS } from '../../shared/events/consumer-lambda.js';
import { asEventPattern, matchesPattern, type EventPattern } from '../../shared/events/event-pattern.js';
import { REPLAY_SOURCE } from '../../shared/events/replay.js';
import type { WorkflowFactory } from '../../stepfunctions/workflows.js';
import { logicalId, resourcesOfType, synthKeiro, type SynthesizedKeiro } from './support/synth.js';

type RuleProps = {
  Name: string;
  EventBusName: unknown;
  EventPattern: EventPattern;
  Targets: Array<{ Arn: unknown; DeadLetterConfig?: { Arn: unknown }; RetryPolicy?: Record<string, number>; InputPath?: string; RoleArn?: unknown }>;
};

const rulesOn = (template: Template): RuleProps[] =>
  resourcesOfType(template, 'AWS::Events::Rule').map(([, r]) => {
    const props = r.Properties as unknown as RuleProps;
    // A rule's pattern must be one the matcher accepts (what the local router runs).
    return { ...props, EventPattern: asEventPattern(props.EventPattern) };
  });

/** A bus event as EventBridge delivers it. */
/** The first allowed value of each leaf of an event-pattern fragment (a concrete value that matches it). */
const firstValues = (p: unknown): unknown =>
  Array.isArray(p) ? p[0] : p && typeof p === 'object' ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, firstValues(v)])) : p;

const busEvent = (detailType: string, source = 'keiro', detail: Record<string, unknown> = { metadata: { id: 'e1' }, data: {} }) => ({
  version: '0',
  id: 'x',
  source,
  'detail-type': detailType,
  account: '123456789012',
  region: 'ap-northeast-1',
  time: '2025-03-01T09:00:00Z',
  resources: [],
  detail,
});

/** Every subscription has its rule on the keiro bus, with retry policy and a DLQ of its own. */
const expectRulesFor = (keiro: SynthesizedKeiro, table: readonly Subscription[]) => {
  const rules = rulesOn(keiro.templates.workflows);
  expect(rules).toHaveLength(table.length);
  const dlqs = new Set<string>();
  for (const subscription of table) {
    const rule = rules.find((r) => r.Name === `${keiro.stage.prefix}-${subscription.id}`);
    expect(rule, subscription.id).toBeDefined();
    expect(rule!.EventBusName).toEqual({ 'Fn::ImportValue': expect.any(String) });
    expect(rule!.Targets).toHaveLength(1);
    const [target] = rule!.Targets;
    expect(target!.DeadLetterConfig?.Arn, `${subscription.id}: DLQ`).toMatchObject({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    dlqs.add(JSON.stringify(target!.DeadLetterConfig));
    expect(target!.RetryPolicy).toEqual({
      MaximumRetryAttempts: RULE_TARGET_RETRY.retryAttempts,
      MaximumEventAgeInSeconds: RULE_TARGET_RETRY.maxEventAge.toSeconds(),
    });
    if (subscription.target.kind === 'consumer') {
      const fn = keiro.workflows.consumers.get(subscription.target.consumer)!;
      expect(target!.Arn).toEqual({ 'Fn::GetAtt': [logicalId(fn.fn), 'Arn'] });
    } else {
      expect(target!.InputPath).toBe('$.detail');
      expect(target!.RoleArn).toBeDefined();
    }
  }
  expect(dlqs.size, 'one DLQ per rule target').toBe(table.length);
  return rules;
};

describe('subscription table → rules', () => {
  let keiro: SynthesizedKeiro;
  beforeAll(() => {
    keiro = synthKeiro('prod');
  });

  it('creates one rule per subscription, each with a retry policy and its own DLQ', () => {
    expectRulesFor(keiro, subscriptions);
  });

  it("each rule matches its subscription's events and replays addressed to it, not replays for others", () => {
    for (const subscription of subscriptions) {
      const rule = rulesOn(keiro.templates.workflows).find((r) => r.Name === `${keiro.stage.prefix}-${subscription.id}`)!;
      const detailTypes = (subscription.pattern['detail-type'] as string[] | undefined) ?? [];
      // A sample the subscription's own pattern describes: its source, and the first value of each detail filter.
      const source = (subscription.pattern.source as string[] | undefined)?.[0] ?? 'keiro';
      const detail = { metadata: { id: 'e1' }, data: {}, ...((firstValues(subscription.pattern.detail) as Record<string, unknown> | undefined) ?? {}) };
      for (const detailType of detailTypes) expect(matchesPattern(rule.EventPattern, busEvent(detailType, source, detail)), detailType).toBe(true);
      const replay = (to: string) => busEvent(detailTypes[0] ?? 'x', REPLAY_SOURCE, { metadata: { id: 'e1' }, data: {}, replay: { deadLetterId: 'd1', subscriptionId: to } });
      expect(matchesPattern(rule.EventPattern, replay(subscription.id))).toBe(true);
      expect(matchesPattern(rule.EventPattern, replay('someone-else'))).toBe(false);
      expect(matchesPattern(rule.EventPattern, busEvent('no.such.event'))).toBe(false);
    }
  });

  it(`consumer Lambdas retry ${CONSUMER_LAMBDA_ATTEMPTS - 1} times, then send the event to a failure queue`, () => {
    for (const [name, fn] of keiro.workflows.consumers) {
      keiro.templates.workflows.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn.fn) },
        MaximumRetryAttempts: CONSUMER_LAMBDA_ATTEMPTS - 1,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
      expect(keiro.workflows.consumerFailureQueues.some((q) => q.node.id.startsWith(name.replace(/(^|-)(\w)/g, (_m, _s, c: string) => c.toUpperCase())))).toBe(true);
    }
  });
});

describe('rule building with a fixture table (a consumer and a workflow)', () => {
  const fixtureWorkflow: WorkflowFactory = {
    workflow: 'fixture-flow',
    create: (scope, id, deps) =>
      new WorkflowStateMachine(scope, id, {
        workflow: 'fixture-flow',
        stage: deps.stage,
        definition: new sfn.Pass(scope, `${id}Start`).next(new sfn.Succeed(scope, `${id}Done`)),
      }),
    localHandlers: () => ({}),
  };
  const fixtureSubscriptions: Subscription[] = [
    {
      id: 'fixture-consumer',
      description: 'A consumer on record.updated',
      pattern: { source: ['keiro'], 'detail-type': ['record.updated'] },
      target: { kind: 'consumer', consumer: 'notify-requester' },
    },
    {
      id: 'fixture-workflow',
      description: 'A workflow started on record.created for Leads',
      pattern: { 'detail-type': ['record.created'], detail: { data: { module: ['Leads'] } } },
      target: { kind: 'stateMachine', workflow: 'fixture-flow' },
    },
  ];

  let keiro: SynthesizedKeiro;
  beforeAll(() => {
    keiro = synthKeiro('dev', { subscriptions: fixtureSubscriptions, workflows: [fixtureWorkflow] });
  });

  it('creates a rule with a DLQ and retry policy per subscription, targeting the consumer or the state machine', () => {
    const rules = expectRulesFor(keiro, fixtureSubscriptions);
    const workflowRule = rules.find((r) => r.Name === 'keiro-dev-fixture-workflow')!;
    const sm = keiro.workflows.stateMachines.get('fixture-flow')!;
    expect(workflowRule.Targets[0]!.Arn).toEqual({ Ref: logicalId(sm) });
    // Without a source in the pattern, the rule is limited to keiro events.
    expect(matchesPattern(workflowRule.EventPattern, busEvent('record.created', 'keiro', { metadata: {}, data: { module: 'Leads' } }))).toBe(true);
    expect(matchesPattern(workflowRule.EventPattern, busEvent('record.created', 'other', { metadata: {}, data: { module: 'Leads' } }))).toBe(false);
    expect(matchesPattern(workflowRule.EventPattern, busEvent('record.created', 'keiro', { metadata: {}, data: { module: 'Deals' } }))).toBe(false);
  });

  it('builds state machines as Standard, logged (ALL), traced, and tagged with their workflow name', () => {
    keiro.templates.workflows.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      Tags: Match.arrayWith([{ Key: WORKFLOW_TAG, Value: 'fixture-flow' }]),
    });
    expect(WORKFLOW_TAG).toBe(LOCAL_RUNNER_WORKFLOW_TAG);
  });

  it('alarms on failed executions of every workflow and on every DLQ', () => {
    const alarms = resourcesOfType(keiro.templates.observability, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as { AlarmName: string });
    const names = alarms.map((a) => a.AlarmName);
    expect(names).toContain('keiro-dev-workflow-fixture-flow-executions-failed');
    for (const dlq of keiro.workflows.deadLetterQueues) {
      expect(names.some((n) => n.endsWith('-dlq-depth') && n.includes(dlq.node.id.replace(/(Rule)?Dlq$|Queue$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()))).toBe(true);
    }
  });

  it('fails the synth on a broken table: unknown workflow, bad pattern, duplicate id, consumer without entry', () => {
    const broken = (subs: Subscription[]) => () => synthKeiro('dev', { subscriptions: subs, workflows: [fixtureWorkflow] });
    const base = fixtureSubscriptions[0]!;
    expect(broken([{ ...base, target: { kind: 'stateMachine', workflow: 'nope' } }])).toThrow(/workflow "nope"/);
    expect(broken([{ ...base, pattern: { 'detail-type': 'record.updated' } }])).toThrow(/invalid pattern/);
    expect(broken([base, base])).toThrow(/Duplicate subscription id/);
    expect(broken([{ ...base, target: { kind: 'consumer', consumer: 'no-such-consumer' } }])).toThrow(/no Lambda entry/);
  });
});
