import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Area, RouteSpec } from '../../shared/http/route-spec.js';
import { AREA_ACCESS } from '../config/access.js';
import type { StageConfig } from '../config/stages.js';
import { AREA_BUNDLED_FILES } from '../../functions/bundled-files.js';
import { AppFunction, type SesBinding } from '../constructs/app-function.js';

export interface ApiStackProps extends StackProps {
  stage: StageConfig;
  /** The route table (functions/routes.ts): one API route per entry, one Lambda per area. */
  routes: readonly RouteSpec[];
  table: ITable;
  bus: IEventBus;
  ses: SesBinding;
}

/** Headers front-ends send and read (functions/README.md): bearer token, optimistic concurrency, idempotency. */
const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'];
const CORS_EXPOSE_HEADERS = ['ETag', 'Location', 'Idempotent-Replayed'];

/** `Area` → the area's Lambda entry. */
export const areaEntry = (area: Area): string => `functions/${area}/handler.ts`;

/** Construct id of a route: from its operationId, so moving a path updates the route in place. */
export const routeConstructId = (spec: Pick<RouteSpec, 'operationId'>): string =>
  `Route${spec.operationId.charAt(0).toUpperCase()}${spec.operationId.slice(1).replace(/[^A-Za-z0-9]/g, '')}`;

const METHODS: Record<RouteSpec['method'], apigw.HttpMethod> = {
  GET: apigw.HttpMethod.GET,
  POST: apigw.HttpMethod.POST,
  PUT: apigw.HttpMethod.PUT,
  PATCH: apigw.HttpMethod.PATCH,
  DELETE: apigw.HttpMethod.DELETE,
};

/**
 * The stateless front door: Cognito (users, the `admin` group, the app client), the HTTP API with
 * its JWT authorizer, and one Lambda per area with one route per route-table entry.
 */
export class ApiStack extends Stack {
  readonly httpApi: apigw.HttpApi;
  readonly stageResource: apigw.HttpStage;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly areaFunctions = new Map<Area, AppFunction>();
  /** By `METHOD /path`: every route-table entry, and a HEAD beside every GET. */
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { stage } = props;

    // ── Cognito ──────────────────────────────────────────────────────────────────────────────
    const plus = stage.userPoolTier === 'plus';
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${stage.prefix}-users`,
      // Org admins create users (infra/README.md: "Users and the `admin` group"); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: stage.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.removalPolicy,
    });
    if (stage.mfa !== 'required') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          `Stage "${stage.stage}" is configured with -c mfa=optional (dev default: demo and test users sign in from scripts). ` +
          'TOTP MFA stays available to every user; prod requires it.',
      });
    }
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          `Stage "${stage.stage}" is configured with -c userPoolTier=essentials (dev default): it holds demo users only, ` +
          'and threat protection is billed per MAU. prod runs on the Plus plan with full-function threat protection.',
      });
    }
    new cognito.UserPoolGroup(this, 'AdminGroup', {
      userPool: this.userPool,
      groupName: 'admin',
      description: 'Org admins: metadata, definitions, users, overrides, dead letters (cognito:groups contains "admin")',
    });
    this.userPoolClient = this.userPool.addClient('AppClient', {
      userPoolClientName: `${stage.prefix}-app`,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // ── Area Lambdas ─────────────────────────────────────────────────────────────────────────
    const areas = [...new Set(props.routes.map((r) => r.area))];
    for (const area of areas) {
      const access = AREA_ACCESS[area];
      if (!access) throw new Error(`Area "${area}" has routes but no access declaration in infra/config/access.ts`);
      const fn = new AppFunction(this, `${pascal(area)}Area`, {
        entry: areaEntry(area),
        stage,
        serviceName: `keiro-${area}`,
        description: `Keiro API: the ${area} area`,
        memorySize: 1024,
        timeout: Duration.seconds(29),
        bundledFiles: AREA_BUNDLED_FILES[area] ?? [],
      });
      fn.bindAccess(access, { table: props.table, bus: props.bus, ses: props.ses });
      this.areaFunctions.set(area, fn);
    }

    // ── HTTP API ─────────────────────────────────────────────────────────────────────────────
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `${stage.prefix}-api`,
      description: 'Keiro HTTP API (/v1)',
      createDefaultStage: false,
      ...(stage.corsAllowOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: stage.corsAllowOrigins,
              allowMethods: [apigw.CorsHttpMethod.ANY],
              allowHeaders: CORS_ALLOW_HEADERS,
              exposeHeaders: CORS_EXPOSE_HEADERS,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: stage.logRetention, removalPolicy: stage.removalPolicy });
    this.stageResource = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: stage.throttling.rateLimit, burstLimit: stage.throttling.burstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId], authorizerName: 'cognito' },
    );
    const noAuth = new apigw.HttpNoneAuthorizer();
    const integrations = new Map<Area, HttpLambdaIntegration>();
    const integrationOf = (area: Area): HttpLambdaIntegration => {
      let integration = integrations.get(area);
      if (!integration) {
        // One invoke permission per area (any route of this API) instead of one per route.
        integration = new HttpLambdaIntegration(`${pascal(area)}Integration`, this.areaFunctions.get(area)!.fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(area, integration);
      }
      return integration;
    };

    const seen = new Map<string, string>();
    const addRoute = (spec: RouteSpec, method: apigw.HttpMethod, id: string): void => {
      const key = `${method} ${spec.path}`;
      const route = new apigw.HttpRoute(this, id, {
        httpApi: this.httpApi,
        routeKey: apigw.HttpRouteKey.with(spec.path, method),
        integration: integrationOf(spec.area),
        authorizer: spec.auth === 'public' ? noAuth : authorizer,
      });
      if (spec.auth === 'public') {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${key} is public by contract (route table auth: 'public'): health, the OpenAPI document and ` +
            'RFC 8058 one-click unsubscribe must work without a token. Every other route uses the Cognito JWT authorizer.',
        });
      }
      this.routes.set(key, route);
    };
    for (const spec of props.routes) {
      const id = routeConstructId(spec);
      if (seen.has(id)) throw new Error(`Duplicate operationId "${spec.operationId}" in the route table (${seen.get(id)} and ${spec.method} ${spec.path})`);
      seen.set(id, `${spec.method} ${spec.path}`);
      addRoute(spec, METHODS[spec.method], id);
      // HTTP API routes are method-specific: without its own route a HEAD is a 404 there. The area
      // handler answers it as the GET, without the body (RFC 9110 §9.3.2).
      if (spec.method === 'GET') addRoute(spec, apigw.HttpMethod.HEAD, `${id}Head`);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stageResource.url, description: 'Base URL: append /v1/...' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'JwtIssuer', { value: `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}` });
  }
}

const pascal = (s: string): string => s.replace(/(^|[-_\s]+)([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
