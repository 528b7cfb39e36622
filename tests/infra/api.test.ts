import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { areaEntry } from '../../infra/stacks/api-stack.js';
import { routeKey } from '../../shared/http/route-spec.js';
import { logicalId, resourcesOfType, synthKeiro, type SynthesizedKeiro } from './support/synth.js';

let keiro: SynthesizedKeiro;
beforeAll(() => {
  keiro = synthKeiro('prod', { context: { corsOrigins: 'https://crm.example.com,https://admin.example.com' } });
});

const routeResources = () =>
  resourcesOfType(keiro.templates.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties as {
    RouteKey: string;
    AuthorizationType?: string;
    AuthorizerId?: unknown;
    Target: unknown;
  });

describe('api stack', () => {
  it('has one API route per route-table entry and a HEAD route beside every GET, and no other', () => {
    const keys = routeResources().map((r) => r.RouteKey).sort();
    const heads = routes.filter((r) => r.method === 'GET').map((r) => routeKey({ method: 'HEAD', path: r.path }));
    expect(heads.length).toBeGreaterThan(0);
    expect(keys).toEqual([...routes.map(routeKey), ...heads].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a HEAD route goes to the Lambda of its GET, with the same authorization', () => {
    const byKey = new Map(routeResources().map((r) => [r.RouteKey, r]));
    for (const spec of routes.filter((r) => r.method === 'GET')) {
      const { RouteKey: _get, ...get } = byKey.get(routeKey(spec))!;
      const { RouteKey: _head, ...head } = byKey.get(routeKey({ method: 'HEAD', path: spec.path }))!;
      expect(head, spec.path).toEqual(get);
    }
  });

  it('stays within the HTTP API route quota (300 per API) and the 500 resources of a stack', () => {
    expect(routeResources().length).toBeLessThanOrEqual(300);
    expect(Object.keys((keiro.templates.api.toJSON() as { Resources: object }).Resources).length).toBeLessThan(500);
  });

  it('protects every jwt route with the Cognito JWT authorizer and leaves public routes open', () => {
    const [authorizerId, authorizer] = resourcesOfType(keiro.templates.api, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: logicalId(keiro.api.userPoolClient) }] },
    });
    const byKey = new Map(routeResources().map((r) => [r.RouteKey, r]));
    for (const spec of routes) {
      const route = byKey.get(routeKey(spec))!;
      if (spec.auth === 'public') {
        expect(route.AuthorizationType, routeKey(spec)).toBe('NONE');
        expect(route.AuthorizerId, routeKey(spec)).toBeUndefined();
      } else {
        expect(route.AuthorizationType, routeKey(spec)).toBe('JWT');
        expect(route.AuthorizerId, routeKey(spec)).toEqual({ Ref: authorizerId });
      }
    }
    expect(routes.some((r) => r.auth === 'public')).toBe(true);
  });

  it('sends each route to the Lambda of its area, one Lambda per area of the route table', () => {
    const areas = [...new Set(routes.map((r) => r.area))].sort();
    expect([...keiro.api.areaFunctions.keys()].sort()).toEqual(areas);
    const integrations = Object.fromEntries(resourcesOfType(keiro.templates.api, 'AWS::ApiGatewayV2::Integration'));
    const byKey = new Map(routeResources().map((r) => [r.RouteKey, r]));
    for (const spec of routes) {
      const target = byKey.get(routeKey(spec))!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = integrations[target['Fn::Join'][1][1].Ref]!;
      const fnId = logicalId(keiro.api.areaFunctions.get(spec.area)!.fn);
      expect(integration.Properties.IntegrationUri, routeKey(spec)).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
    for (const [area, fn] of keiro.api.areaFunctions) expect(fn.entry).toBe(areaEntry(area));
  });

  it('applies the stage default throttling and writes JSON access logs', () => {
    keiro.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 }),
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
    });
  });

  it('has a user pool without self sign-up, the admin group and an SPA app client; prod requires MFA on the Plus plan', () => {
    const t = keiro.templates.api;
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      DeletionProtection: 'ACTIVE',
    });
    t.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']) });
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId']) t.hasOutput(output, {});
  });

  it('gives every area Lambda the project defaults', () => {
    for (const [area, fn] of keiro.api.areaFunctions) {
      keiro.templates.api.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: `keiro-${area}`,
            POWERTOOLS_METRICS_NAMESPACE: 'Keiro',
            LOG_LEVEL: 'INFO',
            TABLE_NAME: Match.anyValue(),
            // Not loaded at cold start (tests/README.md, "Cold starts").
            NODE_OPTIONS: Match.absent(),
          }),
        },
      });
    }
  });
});

describe('api stack CORS', () => {
  it('allows the configured origins with the headers front-ends use', () => {
    keiro.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://crm.example.com', 'https://admin.example.com'],
        AllowHeaders: Match.arrayWith(['Authorization', 'If-Match', 'Idempotency-Key']),
        ExposeHeaders: Match.arrayWith(['ETag']),
      },
    });
  });
});
