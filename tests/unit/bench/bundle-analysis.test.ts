import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { APP_FUNCTION_BUNDLING, ESM_REQUIRE_BANNER } from '../../../infra/constructs/app-function.js';
import { bytesByPackage, esbuildOptionsFor, harmlessEnv, projectInputs, sdkImportsOf, sdkOnlyEntry } from '../../bench/bundle-analysis.js';

describe('esbuild options from the CDK bundling options', () => {
  it('translates the options every Keiro Lambda is bundled with as NodejsFunction passes them to esbuild', () => {
    expect(esbuildOptionsFor(APP_FUNCTION_BUNDLING)).toEqual({
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: [],
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'warning',
    });
  });

  it('keeps the SDK external when it is not bundled, with the other externals', () => {
    expect(esbuildOptionsFor({ bundleAwsSDK: false, externalModules: ['pg'] }).external).toEqual(['@aws-sdk/*', 'pg']);
  });

  it('refuses an option it does not translate, so the bench never bundles differently from CDK unnoticed', () => {
    expect(() => esbuildOptionsFor({ ...APP_FUNCTION_BUNDLING, define: { X: '1' } })).toThrow(/define/);
    expect(() => esbuildOptionsFor({ keepNames: true, loader: { '.png': 'file' } })).toThrow(/keepNames, loader/);
  });
});

describe('AWS SDK imports of a source', () => {
  it('collects value imports by package, leaving type-only ones out', () => {
    const imports = sdkImportsOf(`
      import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
      import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
      import { GetCommand as Get,
        PutCommand } from '@aws-sdk/lib-dynamodb';
      import * as sfn from '@aws-sdk/client-sfn';
      import Default from '@aws-sdk/client-s3';
      import '@aws-sdk/client-eventbridge';
      import { z } from 'zod';
      export { unmarshall } from '@aws-sdk/util-dynamodb';
      export type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
    `);
    expect([...imports.keys()].sort()).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sfn', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb']);
    expect([...imports.get('@aws-sdk/client-dynamodb')!.named]).toEqual(['DynamoDBClient']);
    expect([...imports.get('@aws-sdk/lib-dynamodb')!.named].sort()).toEqual(['GetCommand', 'PutCommand']);
    expect(imports.get('@aws-sdk/client-sfn')!.namespace).toBe(true);
    expect(imports.get('@aws-sdk/client-s3')!.defaultImport).toBe(true);
    expect([...imports.get('@aws-sdk/util-dynamodb')!.named]).toEqual(['unmarshall']);
  });

  it('accumulates across the files of one bundle', () => {
    const imports = sdkImportsOf(`import { GetCommand } from '@aws-sdk/lib-dynamodb';`);
    sdkImportsOf(`import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';`, imports);
    expect([...imports.get('@aws-sdk/lib-dynamodb')!.named].sort()).toEqual(['GetCommand', 'QueryCommand']);
  });

  it('builds the SDK-only entry that re-exports exactly those, so esbuild keeps them', () => {
    const imports = sdkImportsOf(`
      import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import * as sfn from '@aws-sdk/client-sfn';
      import S3 from '@aws-sdk/client-s3';
    `);
    expect(sdkOnlyEntry(imports).split('\n')).toEqual([
      "export { DynamoDBClient as sdk0_DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "export { default as sdk1_default } from '@aws-sdk/client-s3';",
      "export * as sdk2 from '@aws-sdk/client-sfn';",
      "export { GetCommand as sdk3_GetCommand, PutCommand as sdk3_PutCommand } from '@aws-sdk/lib-dynamodb';",
    ]);
    expect(sdkOnlyEntry(new Map())).toBe('');
  });
});

describe('the environment a bundle loads with', () => {
  it('keeps CDK strings, replaces deploy-time tokens with local stand-ins, and adds region and dummy credentials', () => {
    const env = harmlessEnv({
      TABLE_NAME: { Ref: 'TableCD117FA1' },
      TIMER_STATE_MACHINE_ARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }]] },
      MAIL_FROM: 'no-reply@crm.example.com',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(env).toEqual({
      AWS_REGION: 'ap-northeast-1',
      AWS_DEFAULT_REGION: 'ap-northeast-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TABLE_NAME: 'bench-table-name',
      TIMER_STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench-timer_state_machine_arn',
      MAIL_FROM: 'no-reply@crm.example.com',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });
});

describe('reading the esbuild metafile', () => {
  const metafile: Metafile = {
    inputs: {},
    outputs: {
      'out/index.mjs': {
        bytes: 1000,
        imports: [],
        exports: [],
        inputs: {
          'functions/records/handler.ts': { bytesInOutput: 100 },
          'shared/types.ts': { bytesInOutput: 0 },
          'node_modules/zod/v4/core/schemas.js': { bytesInOutput: 500 },
          'node_modules/zod/v4/locales/he.js': { bytesInOutput: 50 },
          'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': { bytesInOutput: 300 },
          'node_modules/@aws-sdk/lib-dynamodb/node_modules/@smithy/core/index.js': { bytesInOutput: 20 },
        },
      },
    },
  };

  it('lists the project sources that put bytes into the output', () => {
    expect(projectInputs(metafile)).toEqual(['functions/records/handler.ts']);
  });

  it('sums bytes per package, largest first (nested node_modules count for the outer package)', () => {
    expect(bytesByPackage(metafile)).toEqual([
      ['zod', 550],
      ['@aws-sdk/client-dynamodb', 300],
      ['project', 100],
      ['@aws-sdk/lib-dynamodb', 20],
    ]);
  });
});
