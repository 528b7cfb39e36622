import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Env } from '../config/env.js';
import { isForbiddenWebhookAddress } from '../domain/actions/webhook-address.js';

/** How webhook actions call out. AWS: private addresses refused; local cloud: allowed (tests call loopback). */
export interface WebhookConfig {
  /** HMAC-SHA256 key: receivers verify `Keiro-Signature`. */
  signingSecret: string;
  /** Only in the local cloud: allow loopback/private targets. */
  allowPrivateAddresses?: boolean;
  /** Extra trusted CA (PEM), for a local test receiver's self-signed certificate. */
  ca?: string;
  timeoutMs?: number;
  /** Attempts per delivery before the action fails (and the consumer's own retries take over). */
  attempts?: number;
  /** Base backoff between attempts (×4 each time). */
  backoffMs?: number;
}

/** The receiver said no (a 4xx other than 408/429): retrying cannot help. */
export class WebhookRefused extends Error {
  constructor(readonly status: number) {
    super(`The webhook receiver answered ${status}`);
    this.name = 'WebhookRefused';
  }
}

/** Every attempt failed (network, timeout, 5xx, 408/429): the delivery is retried later, then dead-lettered. */
export class WebhookFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookFailed';
  }
}

/** The target resolves to an address a webhook must not reach (SSRF guard). */
export class WebhookAddressForbidden extends Error {
  constructor(host: string, address: string) {
    super(`The webhook host ${host} resolves to ${address}, a private, loopback or link-local address`);
    this.name = 'WebhookAddressForbidden';
  }
}

/** `Keiro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (receivers reject old `t`). */
export const signWebhook = (secret: string, timestamp: number, body: string): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * Checks every address the host resolves to at connect time, so DNS rebinding between a check and
 * the connection cannot reach a private address.
 */
const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => isForbiddenWebhookAddress(a.address));
      if (bad) return callback(new WebhookAddressForbidden(hostname, bad.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`No address for ${hostname}`), '', 0);
      callback(null, first.address, first.family);
    });
  };

const postOnce = (url: URL, body: string, headers: Record<string, string>, config: WebhookConfig): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Keiro-Webhooks/1', ...headers },
        lookup: guardedLookup(config.allowPrivateAddresses ?? false),
        // A fresh connection per delivery: a pooled socket would skip the address check.
        agent: false,
        timeout: config.timeoutMs ?? 10_000,
        ...(config.ca ? { ca: config.ca } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('The webhook receiver did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });

/**
 * POSTs a signed JSON body: https only, no redirects followed, private addresses refused (outside the
 * local cloud), up to `attempts` tries with backoff on network errors, timeouts, 5xx, 408 and 429.
 * `deliveryId` (the same on every retry) lets the receiver drop duplicates.
 */
export const postWebhook = async (config: WebhookConfig, target: string, payload: unknown, deliveryId: string, now: () => Date): Promise<number> => {
  const url = new URL(target);
  if (url.protocol !== 'https:') throw new WebhookRefused(0);
  const body = JSON.stringify(payload);
  const attempts = config.attempts ?? 3;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const timestamp = Math.floor(now().getTime() / 1000);
    try {
      const status = await postOnce(url, body, { 'keiro-delivery': deliveryId, 'keiro-signature': signWebhook(config.signingSecret, timestamp, body) }, config);
      if (status >= 200 && status < 300) return status;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new WebhookRefused(status);
      last = `HTTP ${status}`;
    } catch (error) {
      if (error instanceof WebhookRefused || error instanceof WebhookAddressForbidden) throw error;
      last = (error as Error).message;
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (config.backoffMs ?? 250) * 4 ** (attempt - 1)));
  }
  throw new WebhookFailed(`The webhook to ${url.host} failed after ${attempts} attempts: ${last}`);
};

/** The `webhooks` port of a Lambda that runs actions: AWS mode, private addresses always refused. */
export const webhookPorts = (env: Env): { webhooks?: WebhookConfig } =>
  env.WEBHOOK_SIGNING_SECRET ? { webhooks: { signingSecret: env.WEBHOOK_SIGNING_SECRET } } : {};
