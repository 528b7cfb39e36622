import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini, not the classic API: its schemas carry no methods, so the environment's schema builds in a
// fraction of classic's time at every cold start, with the same checks and messages (tests/README.md,
// "Cold starts: where module-load time goes"). Route and event schemas stay classic, built on first use.
const nonEmpty = () => z.string().check(z.minLength(1));
const arn = () => z.optional(z.string().check(z.startsWith('arn:')));

/** Environment every Keiro Lambda reads at cold start. A missing or malformed value fails the cold start. */
export const EnvSchema = z.object({
  TABLE_NAME: nonEmpty(),
  EVENT_BUS_NAME: z._default(nonEmpty(), 'keiro'),
  MAIL_FROM: z._default(z.email(), 'no-reply@keiro.example'),
  /** The organisation's display name: the From name of every email, and the signature of customer emails. */
  MAIL_SENDER_NAME: z._default(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), 'Keiro Travel'),
  SES_CONFIGURATION_SET: z.optional(nonEmpty()),
  /** Set only locally: endpoints of DynamoDB Local and SES local. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  SES_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(nonEmpty(), 'ap-northeast-1'),
  /** ISO region used to normalise phone numbers entered without a country code. */
  DEFAULT_PHONE_REGION: z._default(z.string().check(z.length(2)), 'JP'),
  /** The shared timer state machine (stepfunctions/timer), for functions that start timers. */
  TIMER_STATE_MACHINE_ARN: arn(),
  /** The shadow runs' state machine (stepfunctions/shadow), for the function that starts them. */
  SHADOW_STATE_MACHINE_ARN: arn(),
  /** HMAC key of webhook actions' signatures; without it, webhook actions are refused as not configured. */
  WEBHOOK_SIGNING_SECRET: z.optional(z.string().check(z.minLength(16))),
});
export type Env = z.infer<typeof EnvSchema>;

export const parseEnv = (source: Record<string, string | undefined> = process.env): Env => {
  // Parsed once per process: jitless skips compiling the object's fast path, which only a schema parsed
  // many times pays back. The messages in English, as classic zod gives them (zod/mini sets no locale).
  const parsed = EnvSchema.safeParse(source, { jitless: true, error: en().localeError });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  return parsed.data;
};
