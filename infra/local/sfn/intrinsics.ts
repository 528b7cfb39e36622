/**
 * Resolves the CloudFormation intrinsics CDK puts in a state machine definition
 * (`Fn::Join`, `Ref`, `Fn::GetAtt`, plus `Fn::Sub` and `Fn::Select`) to plain values, so the
 * local runner gets pure ASL. Nothing is deployed locally, so every physical id is synthetic.
 */
export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

/** The ARN a Lambda function gets locally: its logical id is its name. */
export const localLambdaArn = (logicalId: string): string =>
  `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown }>;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': LOCAL_PARTITION,
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
};

export class IntrinsicError extends Error {
  override name = 'IntrinsicError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Ref`: pseudo parameters, template parameter defaults, and a resource's logical id as its name. */
const resolveRef = (name: string, template: CfnTemplate): unknown => {
  if (name in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[name];
  const parameter = template.Parameters?.[name];
  if (parameter && 'Default' in parameter) return parameter.Default;
  if (template.Resources?.[name]) return name;
  throw new IntrinsicError(`Ref to unknown name "${name}"`);
};

/** `Fn::GetAtt`: a Lambda's Arn is its local ARN; other attributes get a readable placeholder. */
const resolveGetAtt = (logicalId: string, attribute: string, template: CfnTemplate): string => {
  const resource = template.Resources?.[logicalId];
  if (!resource) throw new IntrinsicError(`Fn::GetAtt on unknown resource "${logicalId}"`);
  if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') return localLambdaArn(logicalId);
  if (attribute === 'Arn') return `arn:${LOCAL_PARTITION}:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
  return `${logicalId}.${attribute}`;
};

const asString = (value: unknown, where: string): string => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(`${where} expects strings, got ${JSON.stringify(value)}`);
};

/** `Fn::Sub`: `${Name}`, `${Name.Attr}`, the variables map, and `${!Literal}` escapes. */
const resolveSub = (args: unknown, template: CfnTemplate): string => {
  const [text, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof text !== 'string' || !isRecord(variables)) throw new IntrinsicError('Fn::Sub expects a string and a map');
  return text.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    if (expression in variables) return asString(resolveIntrinsics(variables[expression], template), 'Fn::Sub');
    const dot = expression.indexOf('.');
    if (dot > 0) return resolveGetAtt(expression.slice(0, dot), expression.slice(dot + 1), template);
    return asString(resolveRef(expression, template), 'Fn::Sub');
  });
};

const resolveFunction = (name: string, args: unknown, template: CfnTemplate): unknown => {
  switch (name) {
    case 'Ref':
      return resolveRef(asString(args, 'Ref'), template);
    case 'Fn::GetAtt': {
      const [logicalId, ...attribute] = typeof args === 'string' ? args.split('.') : (args as unknown[]);
      return resolveGetAtt(asString(logicalId, 'Fn::GetAtt'), attribute.map((a) => asString(a, 'Fn::GetAtt')).join('.'), template);
    }
    case 'Fn::Join': {
      const [delimiter, parts] = args as [unknown, unknown];
      const resolved = resolveIntrinsics(parts, template);
      if (typeof delimiter !== 'string' || !Array.isArray(resolved)) throw new IntrinsicError('Fn::Join expects [delimiter, list]');
      return resolved.map((part) => asString(part, 'Fn::Join')).join(delimiter);
    }
    case 'Fn::Sub':
      return resolveSub(args, template);
    case 'Fn::Select': {
      const [index, list] = resolveIntrinsics(args, template) as [unknown, unknown];
      if (!Array.isArray(list)) throw new IntrinsicError('Fn::Select expects [index, list]');
      return list[Number(index)];
    }
    default:
      throw new IntrinsicError(`unsupported intrinsic ${name}`);
  }
};

/** Returns `value` with every intrinsic function replaced by its local value. */
export const resolveIntrinsics = (value: unknown, template: CfnTemplate): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, template));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const [only] = keys;
  if (keys.length === 1 && only && (only === 'Ref' || only.startsWith('Fn::'))) {
    return resolveFunction(only, value[only], template);
  }
  return Object.fromEntries(keys.map((key) => [key, resolveIntrinsics(value[key], template)]));
};
