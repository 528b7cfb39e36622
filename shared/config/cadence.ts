import * as z from 'zod';
import type { BusEvent } from '../events/envelope.js';
import { lazySchema } from '../domain/lazy-schema.js';

/** What cadence sending, unsubscribing and reply detection need beyond the common ports. */
export interface CadencePorts {
  /** HMAC-SHA256 key of unsubscribe tokens (AWS: a key item in the table, made once and read on first use; locally `<KEIRO_HOME>/unsubscribe-key`). */
  unsubscribeKey: () => Promise<Uint8Array>;
  /** Base URL of the API as recipients reach it (https in AWS): the List-Unsubscribe link points at its public route. */
  publicApiUrl: string;
  /** Domain of the per-message Reply-To addresses (`reply+<token>@…`) and the unsubscribe mailto (SES receiving). */
  inboundDomain: string;
  /** The organisation's time zone: recipients whose record has none, in a cadence that names none. */
  orgTimeZone: string;
  /** The SES account's maximum send rate (emails per second), shared by every sender through a counter item. */
  sendRatePerSecond: number;
  /**
   * Local cloud only: when (wall-clock ms) this process started. Every sender that claimed a send
   * before then died with an earlier process, so its claim is abandoned without waiting for the lease.
   * Absent in AWS, where senders are independent Lambdas and only the lease tells.
   */
  sendersStartedAt?: number;
  /** Local cloud only: puts an event on the local bus (the dev-only SES routes). Absent in AWS. */
  devBus?: (event: BusEvent) => Promise<void>;
}

/** The organisation's time zone when ORG_TIME_ZONE is not set (what infra sets, too). */
export const DEFAULT_ORG_TIME_ZONE = 'Asia/Tokyo';

/** Cadence settings of a Lambda's environment (the signing key is loaded separately: shared/adapters/cadence-ports.ts). */
export const CadenceEnvSchema = lazySchema(() => z.object({
  PUBLIC_API_URL: z.url(),
  INBOUND_EMAIL_DOMAIN: z.string().min(3).max(253),
  ORG_TIME_ZONE: z.string().min(1).default(DEFAULT_ORG_TIME_ZONE),
  SES_SEND_RATE: z.coerce.number().int().min(1).max(10_000).default(14),
}));
export type CadenceEnv = z.infer<typeof CadenceEnvSchema>;

export const requireCadencePorts = (ports: CadencePorts | undefined): CadencePorts => {
  if (!ports) throw new Error('Cadence ports are not configured (PUBLIC_API_URL, INBOUND_EMAIL_DOMAIN)');
  return ports;
};
