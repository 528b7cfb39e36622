import type { AppDeps } from '../../shared/adapters/deps.js';
import { kioskNotificationRequested } from '../../shared/events/catalog/screens.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { sendEmailOnce } from '../../shared/db/mail-once.js';
import { putNotification } from '../../shared/db/notifications-repo.js';
import { listMembers } from '../../shared/db/teams-repo.js';
import { getUser } from '../../shared/db/users-repo.js';

export const KIOSK_NOTIFY = 'kiosk-notify';

/**
 * On `kiosk.notification-requested`: tell each recipient.
 * 1. Parse the event (a malformed one throws: retried, then dead-lettered).
 * 2. Users (named, and the members of named teams as they are now) get the in-app notification (one
 *    per event and user) and, by email, their directory address.
 * 3. Plain addresses (a customer) get the customer's text only, as a customer email (greeting,
 *    signature); with no customer text they get nothing. Each email goes at most once per (event, address);
 *    an unconfirmed earlier send throws, to be retried and then dead-lettered for an operator.
 */
export const handleKioskNotification = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const data = kioskNotificationRequested.schema.parse(event.detail.data);
  const eventId = eventIdOf(event);
  const resendUnconfirmed = event.detail.replay !== undefined;
  // Plain addresses are customers: they get only the customer's text, never the colleagues' message.
  const customers = data.channels.includes('email') && data.customer ? data.emails : [];
  const emails = new Set<string>();
  const members = await Promise.all(data.teamIds.map((teamId) => listMembers(deps, teamId)));
  const userIds = new Set([...data.userIds, ...members.flat().map((m) => m.userId)]);
  for (const userId of userIds) {
    const user = await getUser(deps, userId);
    if (!user) continue;
    if (data.channels.includes('inApp')) {
      await putNotification(deps, { userId, eventId, occurredAt: event.detail.metadata.occurredAt, kind: kioskNotificationRequested.name, title: data.subject, body: data.message, subject: { type: 'kiosk-run', id: data.runId } });
    }
    if (data.channels.includes('email') && user.email) emails.add(user.email.toLowerCase());
  }
  for (const to of emails) await sendEmailOnce(deps, { eventId, to, subject: data.subject, text: data.message, resendUnconfirmed });
  for (const to of customers) if (!emails.has(to)) await sendEmailOnce(deps, { eventId, to, subject: data.customer!.subject, text: data.customer!.message, customer: {}, resendUnconfirmed });
};

/** Idempotent by its own marks (no claim and finish per delivery): each notification's key holds the event id (a conditional put) and mail-once claims each email before sending it. */
export const kioskNotify: EventConsumer = { name: KIOSK_NOTIFY, handle: handleKioskNotification, idempotency: 'own-marks' };
