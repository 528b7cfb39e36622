import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import { LogLevel as EsbuildLogLevel, NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { bundledFileCommands, type BundledFile } from '../../shared/adapters/bundled-file.js';
import { METRICS_NAMESPACE } from '../../shared/adapters/business-metrics.js';
import { GSIS } from '../../shared/db/table-definition.js';
import { shadowStateMachineArn } from './shadow-arn.js';
import { timerStateMachineArn } from './timer-arn.js';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, type FunctionAccess, type TableAction } from '../config/access.js';
import type { StageConfig } from '../config/stages.js';

/** The repository root: entries are given relative to it, esbuild runs from it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const repoRequire = createRequire(path.join(REPO_ROOT, 'package.json'));

/** CDK bundling hooks that copy package files next to the bundle (run locally, no Docker). */
export const bundledFileHooks = (files: readonly BundledFile[]): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir: string, outputDir: string) => bundledFileCommands(files, (module) => repoRequire.resolve(module), outputDir),
});

/** Powertools metrics namespace shared by every Keiro function (shared/adapters/business-metrics.ts). */
export { METRICS_NAMESPACE } from '../../shared/adapters/business-metrics.js';

/**
 * ESM bundles have no `require`; a few CommonJS dependencies still call it for Node built-ins.
 * esbuild's shim calls the `require` in scope, which this banner provides.
 */
export const ESM_REQUIRE_BANNER = 'import { createRequire as __keiroCreateRequire } from "node:module"; const require = __keiroCreateRequire(import.meta.url);';

/**
 * esbuild settings of every Keiro Lambda. `npm run bench` bundles each deployed entry with these same
 * settings to measure its size and load time (tests/bench/bundles.ts).
 */
export const APP_FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // The SDK versions are pinned in package.json: ship them rather than whatever the runtime has.
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  logLevel: EsbuildLogLevel.WARNING,
} satisfies BundlingOptions;

export interface AppFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/records/handler.ts` (exports `handler`). */
  entry: string;
  stage: StageConfig;
  /** POWERTOOLS_SERVICE_NAME, and part of the function's description. */
  serviceName: string;
  description?: string;
  memorySize?: number;
  timeout?: Duration;
  /** Asynchronous invocations (EventBridge targets): retries after the first attempt (Lambda default 2). */
  retryAttempts?: number;
  /** Asynchronous invocations: where an event goes once every attempt failed. */
  onFailure?: IDestination;
  /** Package files served as is that esbuild cannot bundle (copied next to the bundle; see shared/adapters/bundled-file.ts). */
  bundledFiles?: readonly BundledFile[];
  /** Extra environment. TABLE_NAME, EVENT_BUS_NAME, MAIL_FROM… come from the bind helpers. */
  environment?: Record<string, string>;
}

export interface SesBinding {
  /** ARN of the SES identity that sends (`arn:…:identity/<domain>`). */
  identityArn: string;
  configurationSetName: string;
  mailFrom: string;
}

/**
 * One Keiro Lambda: NodejsFunction with the project's defaults (Node.js 22 on arm64, ESM bundle
 * minified with source maps, X-Ray tracing, its own log group with the stage's retention,
 * Powertools env) and an execution role that holds only what the bind helpers grant.
 *
 * Each bind helper sets the environment variable the code reads (shared/config/env.ts) and grants
 * exactly the actions the code uses, in one call:
 *
 *     fn.bindTable(table, 'readWrite', ['GetItem', 'Query']);
 *     fn.bindBus(bus);
 *     fn.bindSes({ identityArn, configurationSetName, mailFrom });
 *
 * Bundling: `npx cdk synth` bundles with the esbuild in node_modules (never Docker). Tests skip
 * bundling with the standard context `aws:cdk:bundling-stacks=[]` (infra/app.ts sets it for
 * `-c bundling=false`).
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The entry, relative to the repository root. */
  readonly entry: string;
  private readonly stage: StageConfig;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const { stage } = props;
    this.stage = stage;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });

    // Our own role instead of the AWSLambdaBasicExecutionRole managed policy: logs go to this
    // function's log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName} (${props.entry})`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      description: props.description ?? `${props.serviceName}: ${props.entry}`,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: stage.logLevel,
        LOG_LEVEL: stage.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        DEFAULT_PHONE_REGION: stage.defaultPhoneRegion,
        ...props.environment,
      },
      bundling: {
        ...APP_FUNCTION_BUNDLING,
        ...(props.bundledFiles && props.bundledFiles.length > 0 ? { commandHooks: bundledFileHooks(props.bundledFiles) } : {}),
      },
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 (NODEJS_22_X) is the runtime the project targets on purpose (README.md, "Prerequisites"): the code and its pinned ' +
        'dependencies are tested on Node 20 and 22 only. Moving to a newer runtime is a deliberate upgrade, not a synth default.',
    });

    // X-Ray tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement CDK adds for active tracing uses Resource "*": xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords do not support resource-level permissions. Every other statement names its resources.',
    });
  }

  /** The function's environment, for the bind helpers. */
  setEnv(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  /**
   * TABLE_NAME + exactly `actions` on the table (and on each GSI when Query is among them).
   * `access` bounds the actions: `read` allows GetItem/BatchGetItem/Query; `readWrite` adds
   * PutItem/UpdateItem/DeleteItem/ConditionCheckItem (the four a TransactWriteItems item needs).
   * Without `actions`, the whole preset is granted. `none` sets TABLE_NAME only.
   */
  bindTable(table: ITable, access: 'read' | 'readWrite' | 'none', actions?: readonly TableAction[]): this {
    this.setEnv('TABLE_NAME', table.tableName);
    if (access === 'none') return this;
    const allowed: readonly TableAction[] = access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
    const granted = actions ?? allowed;
    const outside = granted.filter((a) => !allowed.includes(a));
    if (outside.length > 0) throw new Error(`${this.node.path}: ${outside.join(', ')} not allowed with '${access}' access`);
    if (granted.length === 0) return this;
    const resources = [table.tableArn];
    if (granted.includes('Query')) resources.push(...GSIS.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...new Set(granted)].sort().map((a) => `dynamodb:${a}`), resources }),
    );
    return this;
  }

  /** EVENT_BUS_NAME + events:PutEvents on that bus. */
  bindBus(bus: IEventBus): this {
    this.setEnv('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this.role);
    return this;
  }

  /** MAIL_FROM + SES_CONFIGURATION_SET + ses:SendEmail with that identity and configuration set. */
  bindSes(ses: SesBinding): this {
    this.setEnv('MAIL_FROM', ses.mailFrom).setEnv('SES_CONFIGURATION_SET', ses.configurationSetName);
    const { partition, region, account } = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ses.identityArn,
          `arn:${partition}:ses:${region}:${account}:configuration-set/${ses.configurationSetName}`,
        ],
      }),
    );
    return this;
  }

  /** `<envName>` (default STATE_MACHINE_ARN) + states:StartExecution on that state machine. */
  bindStateMachine(stateMachine: IStateMachine, envName = 'STATE_MACHINE_ARN'): this {
    this.setEnv(envName, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.role);
    return this;
  }

  /**
   * TIMER_STATE_MACHINE_ARN + states:StartExecution on the shared timer state machine. The ARN is
   * built from its fixed name, not referenced: the timer's own Wake task starts next wakes, and a
   * reference would make the function and the state machine depend on each other.
   */
  bindShadowRuns(): this {
    const arn = shadowStateMachineArn(Stack.of(this), this.stage);
    this.setEnv('SHADOW_STATE_MACHINE_ARN', arn);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
    return this;
  }

  bindTimers(): this {
    const arn = timerStateMachineArn(Stack.of(this), this.stage);
    this.setEnv('TIMER_STATE_MACHINE_ARN', arn);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
    return this;
  }

  /**
   * Cadence settings: the public API URL (List-Unsubscribe links) and the inbound domain (Reply-To
   * tokens, the unsubscribe mailto), derived from the stage's SES domain: `https://api.<domain>` (a
   * custom domain of the HTTP API) and `reply.<domain>` (its MX at SES receiving).
   */
  bindCadence(): this {
    const domain = this.stage.ses.identityDomain;
    return this.setEnv('PUBLIC_API_URL', `https://api.${domain}`).setEnv('INBOUND_EMAIL_DOMAIN', `reply.${domain}`).setEnv('ORG_TIME_ZONE', 'Asia/Tokyo');
  }

  /** Applies a declaration from infra/config/access.ts. */
  bindAccess(access: FunctionAccess, resources: { table: ITable; bus: IEventBus; ses: SesBinding }): this {
    this.bindTable(resources.table, access.table ? 'readWrite' : 'none', access.table);
    if (access.bus) this.bindBus(resources.bus);
    if (access.ses) this.bindSes(resources.ses);
    if (access.timers) this.bindTimers();
    if (access.shadowRuns) this.bindShadowRuns();
    if (access.cadence) this.bindCadence();
    return this;
  }
}
