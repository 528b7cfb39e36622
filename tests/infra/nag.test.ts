import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { TEST_CONTEXT } from './support/synth.js';

/**
 * cdk-nag 3.x runs as a policy-validation plugin during synth (infra/app.ts). Here the same pack
 * validates the construct tree directly, so a finding is reported by rule and construct path.
 */
describe.each(['dev', 'prod'] as const)('cdk-nag AwsSolutions, stage %s', (stage) => {
  it('has no unacknowledged finding and no annotation errors or warnings', () => {
    const keiro = buildApp({ context: { ...TEST_CONTEXT, stage }, nag: false, cloudFormationValidation: false });
    const report = new AwsSolutionsChecks().validateScope(keiro.app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`));
    expect(findings).toEqual([]);

    for (const stack of [keiro.data, keiro.api, keiro.workflows, keiro.observability]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.anyValue()).map((m) => `${m.id}: ${String(m.entry.data)}`)).toEqual([]);
      const warnings = annotations
        .findWarning('*', Match.anyValue())
        .map((m) => String(m.entry.data))
        // CDK's advice to pick a cross-stack reference strength; we keep the default (strong) on purpose.
        .filter((w) => !w.includes('cross-stack-reference strength'));
      expect(warnings).toEqual([]);
    }
  });
});

describe('cdk-nag in the real app', () => {
  it('synthesizes prod with the cdk-nag and CloudFormation validation plugins', () => {
    const keiro = buildApp({ context: { ...TEST_CONTEXT, stage: 'prod' } });
    expect(() => keiro.app.synth()).not.toThrow();
  });

  it('fails the synth on an unacknowledged finding', () => {
    const keiro = buildApp({ context: { ...TEST_CONTEXT, stage: 'dev' }, cloudFormationValidation: false });
    // A fresh finding: an SQS queue without SSL enforcement.
    new Queue(keiro.data, 'Unsafe');
    expect(() => keiro.app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('warns when prod would send from the placeholder SES domain', () => {
    const keiro = buildApp({ context: { bundling: 'false', stage: 'prod' }, nag: false, cloudFormationValidation: false });
    Annotations.fromStack(keiro.data).hasWarning('*', Match.stringLikeRegexp('placeholder domain'));
  });
});
