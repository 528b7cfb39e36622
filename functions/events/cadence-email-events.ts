import type { AppDeps } from '../../shared/adapters/deps.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { suppressionPut } from '../../shared/db/suppression-repo.js';
import { transactWrite } from '../../shared/db/transact.js';
import { SES_EVENT_TYPES } from '../cadences/event-patterns.js';
import { findMessage, recordEmailReaction } from '../cadences/reactions.js';

export const CADENCE_EMAIL_EVENTS = 'cadence-email-events';

interface SesEventDetail {
  eventType?: string;
  mail?: { messageId?: string; destination?: string[]; timestamp?: string };
  bounce?: { bounceType?: string; timestamp?: string; bouncedRecipients?: Array<{ emailAddress?: string }> };
  complaint?: { timestamp?: string; complainedRecipients?: Array<{ emailAddress?: string }> };
  open?: { timestamp?: string };
  click?: { timestamp?: string; link?: string };
  delivery?: { timestamp?: string };
}

/**
 * On an SES sending event of the configuration set: map it to its cadence email and react.
 * 1. Read the type and the message id (an event of a type we do not handle, or malformed, is ignored).
 * 2. A permanent bounce or a complaint suppresses the recipients at once, whatever the message was.
 *    (A transient bounce is only counted: SES keeps retrying it.)
 * 3. A message that is no cadence email (e.g. a notification) is ignored; else record the reaction
 *    (first of each kind per step), which may end the enrollment or make it plan again.
 */
export const handleSesEvent = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const detail = event.detail as unknown as SesEventDetail;
  const type = Object.hasOwn(SES_EVENT_TYPES, detail?.eventType ?? '') ? SES_EVENT_TYPES[detail.eventType as keyof typeof SES_EVENT_TYPES] : undefined;
  const messageId = detail?.mail?.messageId;
  if (!type || !messageId) return;
  const section = (detail as Record<string, { timestamp?: string } | undefined>)[type.section];
  const at = new Date(section?.timestamp ?? event.time ?? deps.clock().toISOString()).toISOString();
  const permanent = type.reaction === 'complained' || (type.reaction === 'bounced' && detail.bounce?.bounceType !== 'Transient');
  if (permanent) {
    const recipients = (type.reaction === 'bounced' ? detail.bounce?.bouncedRecipients : detail.complaint?.complainedRecipients)?.flatMap((r) => (r.emailAddress ? [r.emailAddress] : [])) ?? detail.mail?.destination ?? [];
    for (const address of recipients) await transactWrite(deps, [suppressionPut(deps, address, type.reaction === 'bounced' ? 'bounced' : 'complained')]);
  }
  const ref = await findMessage(deps, messageId);
  if (!ref) return;
  if (type.reaction === 'bounced' && !permanent) return;
  await recordEmailReaction(deps, ref, type.reaction, at, type.reaction === 'clicked' ? detail.click?.link : type.reaction === 'bounced' ? detail.bounce?.bounceType : undefined);
};

export const cadenceEmailEvents: EventConsumer = { name: CADENCE_EMAIL_EVENTS, handle: handleSesEvent };
