import * as z from 'zod';

/** Environment every Keiro Lambda reads at cold start. A missing or malformed value fails the cold start. */
export const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1).default('keiro'),
  MAIL_FROM: z.email().default('no-reply@keiro.example'),
  /** The organisation's display name: the From name of every email, and the signature of customer emails. */
  MAIL_SENDER_NAME: z.string().trim().min(1).max(100).default('Keiro Travel'),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Set only locally: endpoints of DynamoDB Local and SES local. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('ap-northeast-1'),
  /** ISO region used to normalise phone numbers entered without a country code. */
  DEFAULT_PHONE_REGION: z.string().length(2).default('JP'),
  /** The shared timer state machine (stepfunctions/timer), for functions that start timers. */
  TIMER_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  /** The shadow runs' state machine (stepfunctions/shadow), for the function that starts them. */
  SHADOW_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  /** HMAC key of webhook actions' signatures; without it, webhook actions are refused as not configured. */
  WEBHOOK_SIGNING_SECRET: z.string().min(16).optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export const parseEnv = (source: Record<string, string | undefined> = process.env): Env => {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  return parsed.data;
};
