import { Annotations, App, Tags, Validations, type Environment } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { routes as routeTable } from '../functions/routes.js';
import { subscriptions as subscriptionTable, type Subscription } from '../functions/subscriptions.js';
import type { RouteSpec } from '../shared/http/route-spec.js';
import { workflows as workflowRegistry, type WorkflowFactory } from '../stepfunctions/workflows.js';
import { PLACEHOLDER_SES_DOMAIN, resolveStageConfig, type StageConfig } from './config/stages.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { ObservabilityStack, type MonitoredFunction } from './stacks/observability-stack.js';
import { WorkflowsStack } from './stacks/workflows-stack.js';

export interface BuildAppOptions {
  /** CDK context (`-c key=value`), e.g. `{ stage: 'prod', bundling: 'false' }`. */
  context?: Record<string, unknown>;
  /** Run cdk-nag AwsSolutionsChecks during synth (default true). */
  nag?: boolean;
  /** Tables, for tests: default the real route/subscription tables and workflow registry. */
  routes?: readonly RouteSpec[];
  subscriptions?: readonly Subscription[];
  workflows?: readonly WorkflowFactory[];
  outdir?: string;
  /**
   * CDK's built-in CloudFormation schema validation during synth (default true). Tests turn it off
   * to save ~5 s per synth; `npx cdk synth` always runs it.
   */
  cloudFormationValidation?: boolean;
  /**
   * Fail the synth when a Lambda function has no error and throttle alarms (default true). The local
   * runner turns it off: it synthesizes only to read the ASL, also for test registries of workflows
   * whose fixture functions are never deployed.
   */
  requireAlarms?: boolean;
}

export interface KeiroApp {
  app: App;
  stage: StageConfig;
  data: DataStack;
  api: ApiStack;
  workflows: WorkflowsStack;
  observability: ObservabilityStack;
}

/**
 * The Keiro CDK app: data (stateful) | api, workflows (stateless) | observability.
 * `-c stage=dev|prod` picks the stage config (infra/config/stages.ts); `-c bundling=false` skips
 * esbuild (tests, quick diffs of infrastructure only).
 */
export const buildApp = (options: BuildAppOptions = {}): KeiroApp => {
  const context = { ...options.context };
  const app = new App({
    context,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  if (String(app.node.tryGetContext('bundling')) === 'false') {
    // The standard switch: no stack requires bundling, so assets are staged unbundled.
    app.node.setContext('aws:cdk:bundling-stacks', []);
  }
  const stage = resolveStageConfig((key) => app.node.tryGetContext(key));

  const env: Environment = {
    ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
  };
  const common = { env, stage };

  const data = new DataStack(app, `${stage.prefix}-data`, {
    ...common,
    description: `Keiro ${stage.stage}: table, event bus, SES, outbox Pipe (stateful)`,
    terminationProtection: stage.stage === 'prod',
  });
  if (stage.ses.identityDomain === PLACEHOLDER_SES_DOMAIN && stage.stage === 'prod') {
    Annotations.of(data).addWarningV2(
      'keiro:placeholder-ses-domain',
      `SES identity is the placeholder domain ${PLACEHOLDER_SES_DOMAIN}: deploy with -c sesDomain=<your domain> -c mailFrom=<address> (README.deploy.md)`,
    );
  }
  const api = new ApiStack(app, `${stage.prefix}-api`, {
    ...common,
    description: `Keiro ${stage.stage}: HTTP API, Cognito, area Lambdas`,
    routes: options.routes ?? routeTable,
    table: data.table,
    bus: data.bus,
    ses: data.ses,
  });
  const workflows = new WorkflowsStack(app, `${stage.prefix}-workflows`, {
    ...common,
    description: `Keiro ${stage.stage}: state machines, bus consumers, subscription rules`,
    table: data.table,
    bus: data.bus,
    ses: data.ses,
    subscriptions: options.subscriptions ?? subscriptionTable,
    workflows: options.workflows ?? workflowRegistry,
  });
  const observability = new ObservabilityStack(app, `${stage.prefix}-observability`, {
    ...common,
    description: `Keiro ${stage.stage}: alarms and dashboard`,
    functions: everyFunction(app, options.requireAlarms ?? true, [
      { label: 'outbox-enricher', fn: data.enricher.fn },
      ...[...api.areaFunctions].map(([area, f]) => ({ label: `api-${area}`, fn: f.fn })),
      ...[...workflows.consumers].map(([name, f]) => ({ label: `consumer-${name}`, fn: f.fn })),
      ...[...workflows.taskFunctions].map(([name, f]) => ({ label: `task-${name}`, fn: f.fn })),
      { label: 'inbound-mail', fn: workflows.inboundMail.fn.fn },
    ]),
    deadLetterQueues: [...data.deadLetterQueues, ...workflows.deadLetterQueues].map((d) => ({
      label: d.node.id.replace(/Dlq$|Queue$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase(),
      queue: d.queue,
    })),
    stateMachines: [...workflows.stateMachines].map(([name, sm]) => ({ label: `workflow-${name}`, stateMachine: sm })),
    pipeName: data.pipe.ref,
    httpApiId: api.httpApi.apiId,
  });

  Tags.of(app).add('app', 'keiro');
  Tags.of(app).add('stage', stage.stage);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, stage, data, api, workflows, observability };
};

/**
 * The functions to watch, checked at synth against every Lambda function in the app: one that is not
 * listed (a new area, consumer or task wired elsewhere) fails the synth instead of running unwatched.
 */
const everyFunction = (app: App, required: boolean, listed: MonitoredFunction[]): MonitoredFunction[] => {
  if (!required) return listed;
  const watched = new Set<IConstruct>(listed.map((m) => m.fn));
  app.node.addValidation({
    validate: () => {
      const missing = app.node.findAll().filter((c) => c instanceof lambda.Function && !watched.has(c));
      return missing.length > 0 ? [`Lambda functions without error and throttle alarms (list them in infra/app.ts): ${missing.map((c) => c.node.path).join(', ')}`] : [];
    },
  });
  return listed;
};

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('infra/app.ts');
if (isMain) {
  buildApp().app.synth();
}
