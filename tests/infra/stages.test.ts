import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig } from '../../infra/config/stages.js';

const from = (context: Record<string, unknown>) => resolveStageConfig((key) => context[key]);

describe('stage config', () => {
  it('defaults to dev; prod retains data, protects it and keeps it 35 days in PITR', () => {
    expect(from({}).stage).toBe('dev');
    expect(from({}).removalPolicy).toBe(RemovalPolicy.DESTROY);
    const prod = from({ stage: 'prod' });
    expect(prod.corsAllowOrigins, 'prod has no CORS until origins are configured').toEqual([]);
    expect(prod).toMatchObject({ removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true, pointInTimeRecovery: true, pitrRecoveryPeriodDays: 35, eventBusName: 'keiro', mfa: 'required' });
  });

  it('takes -c flags (strings) over the keiro.<stage> object in cdk.json', () => {
    const c = from({
      stage: 'prod',
      keiro: { prod: { alarmEmail: 'a@x.io', throttleRateLimit: 10, sesDomain: 'x.io' } },
      throttleRateLimit: '20',
      logRetentionDays: '30',
      deletionProtection: 'false',
      corsOrigins: 'https://a.x.io, https://b.x.io',
    });
    expect(c.alarmEmail).toBe('a@x.io');
    expect(c.throttling.rateLimit).toBe(20);
    expect(c.logRetention).toBe(RetentionDays.ONE_MONTH);
    expect(c.deletionProtection).toBe(false);
    expect(c.corsAllowOrigins).toEqual(['https://a.x.io', 'https://b.x.io']);
    expect(c.ses).toEqual({ identityDomain: 'x.io', mailFrom: 'no-reply@x.io' });
  });

  it('rejects an unknown stage, typos, bad values and a From address outside the SES domain', () => {
    expect(() => from({ stage: 'staging' })).toThrow(/Unknown stage/);
    expect(() => from({ keiro: { dev: { alarmEmial: 'a@x.io' } } })).toThrow(/alarmEmial/);
    expect(() => from({ logRetentionDays: '42' })).toThrow(/logRetentionDays/);
    expect(() => from({ sesDomain: 'x.io', mailFrom: 'me@y.io' })).toThrow(/not an address at the SES identity domain/);
    expect(() => from({ sesDomain: 'x.io', mailFromDomain: 'bounce.y.io' })).toThrow(/subdomain/);
  });
});
