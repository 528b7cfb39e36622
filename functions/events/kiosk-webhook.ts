import { log } from '../../shared/adapters/telemetry.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { postWebhook, WebhookAddressForbidden, WebhookRefused } from '../../shared/adapters/webhooks.js';
import { kioskWebhookRequested } from '../../shared/events/catalog/screens.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';

export const KIOSK_WEBHOOK = 'kiosk-webhook';

/**
 * On `kiosk.webhook-requested`: post the signed webhook (the action library's adapter: https only,
 * HMAC signature, retries with backoff, private/link-local/loopback addresses refused in AWS).
 * The delivery id is the event id, the same on every retry, so the receiver can drop duplicates.
 * A refusal (not configured, a 4xx, a forbidden address) cannot be fixed by retrying: it is logged as
 * such; a failure after the retries throws, so the event is retried and finally dead-lettered.
 */
export const handleKioskWebhook = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const data = kioskWebhookRequested.schema.parse(event.detail.data);
  if (!deps.webhooks) {
    log.warn('Kiosk webhook refused: webhooks are not configured (WEBHOOK_SIGNING_SECRET)', { runId: data.runId, nodeId: data.nodeId });
    return;
  }
  try {
    await postWebhook(deps.webhooks, data.url, { event: eventIdOf(event), kiosk: { runId: data.runId, step: data.nodeId }, ...data.payload }, eventIdOf(event), deps.clock);
  } catch (error) {
    if (!(error instanceof WebhookRefused || error instanceof WebhookAddressForbidden)) throw error;
    log.warn('Kiosk webhook refused', { runId: data.runId, nodeId: data.nodeId, reason: error.name });
  }
};

export const kioskWebhook: EventConsumer = { name: KIOSK_WEBHOOK, handle: handleKioskWebhook };
