import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { buildApp, type BuildAppOptions, type KeiroApp } from '../../../infra/app.js';
import type { StageName } from '../../../infra/config/stages.js';

/** Context every infra test uses: no esbuild, and a real-looking SES domain (no placeholder warning). */
export const TEST_CONTEXT = { bundling: 'false', sesDomain: 'crm.example.com', alarmEmail: 'ops@crm.example.com' } as const;

export interface SynthesizedKeiro extends KeiroApp {
  templates: { data: Template; api: Template; workflows: Template; observability: Template };
}

/** Builds and synthesizes the whole app once (call it in beforeAll). */
export const synthKeiro = (stage: StageName, options: Omit<BuildAppOptions, 'context'> & { context?: Record<string, unknown> } = {}): SynthesizedKeiro => {
  const keiro = buildApp({ cloudFormationValidation: false, ...options, context: { ...TEST_CONTEXT, stage, ...options.context } });
  return {
    ...keiro,
    templates: {
      data: Template.fromStack(keiro.data),
      api: Template.fromStack(keiro.api),
      workflows: Template.fromStack(keiro.workflows),
      observability: Template.fromStack(keiro.observability),
    },
  };
};

export const logicalId = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  return stack.getLogicalId(construct.node.defaultChild as CfnRole);
};

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Every Allow statement of the policies attached to a role (inline and AWS::IAM::Policy). */
export const roleStatements = (template: Template, roleLogicalId: string): Statement[] => {
  const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const statements: Statement[] = [];
  const role = json.Resources[roleLogicalId];
  if (!role) throw new Error(`No role ${roleLogicalId}`);
  for (const p of (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }> | undefined) ?? []) {
    statements.push(...p.PolicyDocument.Statement);
  }
  for (const resource of Object.values(json.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = (resource.Properties.Roles as Array<{ Ref?: string }> | undefined) ?? [];
    if (!roles.some((r) => r.Ref === roleLogicalId)) continue;
    statements.push(...(resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }
  return statements.filter((s) => s.Effect === 'Allow');
};

export const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** `{ Type: …, Properties: … }` of every resource of a type. */
export const resourcesOfType = (template: Template, type: string): Array<[string, { Properties: Record<string, unknown> }]> =>
  Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, unknown> }]>;
