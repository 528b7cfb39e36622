import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

/**
 * Stage settings. One deployment (a CDK stage in an AWS account) serves one organisation; `dev` and
 * `prod` differ in how careful they are with data and how loud they are when something breaks.
 *
 * Resolution order (later wins): the defaults below → the `keiro` object in cdk.json context
 * (`"keiro": { "prod": { "alarmEmail": "ops@example.com" } }`) → flat `-c key=value` flags.
 */
export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface StageConfig {
  stage: StageName;
  /** Prefix of stack names and of named resources: `keiro-<stage>`. */
  prefix: string;
  /** What CloudFormation does with stateful resources (table, user pool, queues, logs) on delete. */
  removalPolicy: RemovalPolicy;
  /** DynamoDB and Cognito deletion protection. */
  deletionProtection: boolean;
  pointInTimeRecovery: boolean;
  /** PITR window, 1–35 days. */
  pitrRecoveryPeriodDays: number;
  /** How long the bus archive keeps events (0 = forever). */
  eventArchiveRetentionDays: number;
  /** Lambda, Pipe, API access and state machine logs. */
  logRetention: RetentionDays;
  /** How long a message waits in a dead-letter queue (max 14 days). */
  dlqRetention: Duration;
  /** Default route throttling of the HTTP API stage. */
  throttling: { rateLimit: number; burstLimit: number };
  /** Where alarm notifications go (an email subscription on the alarm topic); none = topic only. */
  alarmEmail?: string;
  ses: {
    /** The domain identity SES sends from (verified with the DKIM CNAME records it outputs). */
    identityDomain: string;
    /** The From address of every email (MAIL_FROM); must be at identityDomain. */
    mailFrom: string;
    /** Optional custom MAIL FROM (bounce) subdomain, e.g. `bounce.example.com`. */
    mailFromDomain?: string;
  };
  /** Origins allowed by the API's CORS preflight; empty = no CORS configuration. */
  corsAllowOrigins: string[];
  /** Name of the custom event bus. */
  eventBusName: string;
  /** Cognito MFA: `required` (TOTP) or `optional`. */
  mfa: 'required' | 'optional';
  /** Cognito feature plan: `plus` adds threat protection (adaptive auth, compromised credentials); billed per MAU. */
  userPoolTier: 'plus' | 'essentials';
  /** ISO region used to normalise phone numbers entered without a country code. */
  defaultPhoneRegion: string;
  logLevel: LogLevel;
}

/** The placeholder SES domain: fine to synthesize, useless to send from. */
export const PLACEHOLDER_SES_DOMAIN = 'keiro.example';

const defaults: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    prefix: 'keiro-dev',
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    pointInTimeRecovery: true,
    pitrRecoveryPeriodDays: 7,
    eventArchiveRetentionDays: 7,
    logRetention: RetentionDays.ONE_WEEK,
    dlqRetention: Duration.days(14),
    throttling: { rateLimit: 50, burstLimit: 100 },
    ses: { identityDomain: PLACEHOLDER_SES_DOMAIN, mailFrom: `no-reply@${PLACEHOLDER_SES_DOMAIN}` },
    corsAllowOrigins: ['http://localhost:3000', 'http://localhost:5173'],
    eventBusName: 'keiro-dev',
    mfa: 'optional',
    userPoolTier: 'essentials',
    defaultPhoneRegion: 'JP',
    logLevel: 'DEBUG',
  },
  prod: {
    stage: 'prod',
    prefix: 'keiro-prod',
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    pointInTimeRecovery: true,
    pitrRecoveryPeriodDays: 35,
    // Bounded like the table's backups: archived events carry record values an erasure cannot reach (infra/README.md).
    eventArchiveRetentionDays: 35,
    logRetention: RetentionDays.THREE_MONTHS,
    dlqRetention: Duration.days(14),
    throttling: { rateLimit: 500, burstLimit: 1000 },
    ses: { identityDomain: PLACEHOLDER_SES_DOMAIN, mailFrom: `no-reply@${PLACEHOLDER_SES_DOMAIN}` },
    corsAllowOrigins: [],
    eventBusName: 'keiro',
    mfa: 'required',
    userPoolTier: 'plus',
    defaultPhoneRegion: 'JP',
    logLevel: 'INFO',
  },
};

const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/** Booleans and numbers arrive as strings from `-c`, as JSON values from cdk.json. */
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.union([
  z.array(z.string().min(1)),
  z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean)),
]);

/** The context keys a stage reads. Every key is optional; unknown keys are rejected (typos fail the synth). */
export const StageOverridesSchema = z
  .object({
    removalPolicy: z.enum(['retain', 'destroy', 'snapshot']),
    deletionProtection: bool,
    pointInTimeRecovery: bool,
    pitrRecoveryPeriodDays: int(1, 35),
    eventArchiveRetentionDays: int(1, 35),
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((d) => RETENTION_DAYS.has(d), { message: 'must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …)' }),
    dlqRetentionDays: int(1, 14),
    throttleRateLimit: int(1, 100_000),
    throttleBurstLimit: int(1, 100_000),
    alarmEmail: z.email(),
    sesDomain: z.string().regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name'),
    mailFrom: z.email(),
    mailFromDomain: z.string().regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name'),
    corsOrigins: list,
    eventBusName: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/),
    mfa: z.enum(['required', 'optional']),
    userPoolTier: z.enum(['plus', 'essentials']),
    defaultPhoneRegion: z.string().length(2),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  })
  .partial()
  .strict();
export type StageOverrides = z.infer<typeof StageOverridesSchema>;

export const STAGE_CONTEXT_KEYS = Object.keys(StageOverridesSchema.shape) as Array<keyof StageOverrides>;

const removalPolicies = { retain: RemovalPolicy.RETAIN, destroy: RemovalPolicy.DESTROY, snapshot: RemovalPolicy.SNAPSHOT } as const;

/** Reads a context value from the app (`app.node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

/**
 * Resolves the stage config from context. Throws with every bad key named, so a typo in
 * `-c alarmEmial=…` or a malformed value fails the synth instead of deploying something else.
 */
export const resolveStageConfig = (context: ContextReader): StageConfig => {
  const stageValue = context('stage') ?? 'dev';
  const stage = z.enum(STAGES).safeParse(stageValue);
  if (!stage.success) throw new Error(`Unknown stage "${String(stageValue)}": use -c stage=dev or -c stage=prod`);

  const fromJson = (context('keiro') as Record<string, unknown> | undefined)?.[stage.data] ?? {};
  const flat = Object.fromEntries(
    STAGE_CONTEXT_KEYS.map((key) => [key, context(key)] as const).filter(([, value]) => value !== undefined),
  );
  const parsed = StageOverridesSchema.safeParse({ ...(fromJson as object), ...flat });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(keiro.' + stage.data + ')'}: ${i.message}`).join('; ');
    throw new Error(`Invalid stage config for "${stage.data}": ${problems}`);
  }
  const o = parsed.data;
  const base = defaults[stage.data];
  const identityDomain = (o.sesDomain ?? base.ses.identityDomain).toLowerCase();
  const mailFrom = o.mailFrom ?? (o.sesDomain ? `no-reply@${identityDomain}` : base.ses.mailFrom);
  if (!mailFrom.toLowerCase().endsWith(`@${identityDomain}`)) {
    throw new Error(`Invalid stage config for "${stage.data}": mailFrom ${mailFrom} is not an address at the SES identity domain ${identityDomain}`);
  }
  const mailFromDomain = o.mailFromDomain?.toLowerCase();
  if (mailFromDomain && !mailFromDomain.endsWith(`.${identityDomain}`)) {
    throw new Error(`Invalid stage config for "${stage.data}": mailFromDomain ${mailFromDomain} must be a subdomain of ${identityDomain}`);
  }
  const alarmEmail = o.alarmEmail ?? base.alarmEmail;

  return {
    ...base,
    ...(o.removalPolicy ? { removalPolicy: removalPolicies[o.removalPolicy] } : {}),
    deletionProtection: o.deletionProtection ?? base.deletionProtection,
    pointInTimeRecovery: o.pointInTimeRecovery ?? base.pointInTimeRecovery,
    pitrRecoveryPeriodDays: o.pitrRecoveryPeriodDays ?? base.pitrRecoveryPeriodDays,
    eventArchiveRetentionDays: o.eventArchiveRetentionDays ?? base.eventArchiveRetentionDays,
    logRetention: (o.logRetentionDays as RetentionDays | undefined) ?? base.logRetention,
    dlqRetention: o.dlqRetentionDays ? Duration.days(o.dlqRetentionDays) : base.dlqRetention,
    throttling: {
      rateLimit: o.throttleRateLimit ?? base.throttling.rateLimit,
      burstLimit: o.throttleBurstLimit ?? base.throttling.burstLimit,
    },
    ...(alarmEmail ? { alarmEmail } : {}),
    ses: { identityDomain, mailFrom, ...(mailFromDomain ? { mailFromDomain } : {}) },
    corsAllowOrigins: o.corsOrigins ?? base.corsAllowOrigins,
    eventBusName: o.eventBusName ?? base.eventBusName,
    mfa: o.mfa ?? base.mfa,
    userPoolTier: o.userPoolTier ?? base.userPoolTier,
    defaultPhoneRegion: (o.defaultPhoneRegion ?? base.defaultPhoneRegion).toUpperCase(),
    logLevel: o.logLevel ?? base.logLevel,
  };
};
