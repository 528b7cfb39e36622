import type { AppDeps } from '../../shared/adapters/deps.js';
import { requestStatusChanged } from '../../shared/events/catalog/request-status-changed.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { sendEmailOnce } from '../../shared/db/mail-once.js';
import { putNotification } from '../../shared/db/notifications-repo.js';
import { getUser } from '../../shared/db/users-repo.js';

export const NOTIFY_REQUESTER = 'notify-requester';

const message = (data: ReturnType<typeof requestStatusChanged.schema.parse>, name: string | undefined) => {
  const title = `Your request "${data.title}" is now ${data.status}`;
  const lines = [
    `Hello ${name ?? data.requesterId},`,
    '',
    `The team changed the status of your request "${data.title}" (${data.module}) from ${data.previousStatus ?? 'Submitted'} to ${data.status}.`,
    ...(data.comment ? ['', `Their comment: ${data.comment}`] : []),
    '',
    `Follow it in My Requests (request ${data.requestId}).`,
  ];
  return { title, body: lines.join('\n') };
};

/**
 * On `request.status-changed`: tell the requester.
 * 1. Parse the event (a malformed one throws: retried, then dead-lettered).
 * 2. Skip a change the requester made themselves.
 * 3. Write the in-app notification (one per event and recipient: a redelivery writes nothing new).
 * 4. Email them through SES at most once per (event, recipient) (shared/db/mail-once.ts); a user
 *    without an email address gets the in-app notification only.
 */
export const handleStatusChanged = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const data = requestStatusChanged.schema.parse(event.detail.data);
  if (event.detail.metadata.actor === data.requesterId) return;
  const eventId = eventIdOf(event);
  const requester = await getUser(deps, data.requesterId);
  const { title, body } = message(data, requester?.name);
  await putNotification(deps, {
    userId: data.requesterId,
    eventId,
    occurredAt: event.detail.metadata.occurredAt,
    kind: requestStatusChanged.name,
    title,
    body,
    subject: { type: 'request', id: data.requestId, module: data.module },
  });
  if (!requester?.email) return;
  // An unconfirmed earlier send throws: retried, then dead-lettered for an operator, whose replay sends it.
  await sendEmailOnce(deps, { eventId, to: requester.email, subject: title, text: body, resendUnconfirmed: event.detail.replay !== undefined });
};

/** Idempotent by its own marks (no claim and finish per delivery): its notification's key holds the event id (a conditional put) and mail-once claims the email before sending it. */
export const notifyRequester: EventConsumer = { name: NOTIFY_REQUESTER, handle: handleStatusChanged, idempotency: 'own-marks' };
