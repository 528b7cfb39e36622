import type { AppDeps } from '../../shared/adapters/deps.js';
import { approvalDecided, approvalEscalated, approvalRequested, reviewDecided, reviewRequested } from '../../shared/events/catalog/processes.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import { sendEmailOnce } from '../../shared/db/mail-once.js';
import { putNotification } from '../../shared/db/notifications-repo.js';
import { getUsers } from '../../shared/db/users-repo.js';

export const PROCESS_NOTIFICATIONS = 'process-notifications';

interface Message {
  to: string[];
  title: string;
  body: string;
  /** Decisions also go out by email (the person waits for them); requests are in-app. */
  email: boolean;
  subject: { type: string; id: string; module?: string };
}

const recordRef = (module: string, recordId: string) => `${module} record ${recordId}`;

/** Who is told what, per event (pure: the event in, the messages out). */
export const messagesFor = (event: BusEvent): Message[] => {
  const name = event['detail-type'];
  const raw = event.detail.data;
  if (name === approvalRequested.name) {
    const d = approvalRequested.schema.parse(raw);
    return [{ to: d.approverIds, title: `Approval needed: ${d.processName}`, body: `${recordRef(d.module, d.recordId)} awaits your approval (level ${d.level}), submitted by ${d.submittedBy}. Approval ${d.approvalId}.`, email: false, subject: { type: 'approval', id: d.approvalId, module: d.module } }];
  }
  if (name === approvalDecided.name) {
    const d = approvalDecided.schema.parse(raw);
    const verdict = d.status === 'approved' ? 'approved' : 'rejected';
    const lines = [`${d.decidedBy}${d.onBehalfOf ? ` (for ${d.onBehalfOf})` : ''} ${verdict} ${recordRef(d.module, d.recordId)} in "${d.processName}".`, ...(d.comment ? ['', `Reason: ${d.comment}`] : []), '', `Approval ${d.approvalId}.`];
    return [{ to: [d.submittedBy], title: `${d.processName}: ${verdict}${d.comment && d.status === 'rejected' ? ` — ${d.comment}` : ''}`, body: lines.join('\n'), email: true, subject: { type: 'approval', id: d.approvalId, module: d.module } }];
  }
  if (name === approvalEscalated.name) {
    const d = approvalEscalated.schema.parse(raw);
    return [{ to: d.addedApproverIds, title: `Escalated to you: ${d.processName}`, body: `${recordRef(d.module, d.recordId)} has waited too long for approval (level ${d.level}); you may now decide it. Approval ${d.approvalId}.`, email: true, subject: { type: 'approval', id: d.approvalId, module: d.module } }];
  }
  if (name === reviewRequested.name) {
    const d = reviewRequested.schema.parse(raw);
    return [{ to: d.reviewerIds, title: `Review needed: ${d.processName}`, body: `Review ${d.fields.join(', ')} of ${recordRef(d.module, d.recordId)}, created by ${d.createdBy}. Review ${d.reviewId}.`, email: false, subject: { type: 'review', id: d.reviewId, module: d.module } }];
  }
  if (name === reviewDecided.name) {
    const d = reviewDecided.schema.parse(raw);
    const rejected = Object.entries(d.decisions).filter(([, x]) => !x.accept);
    const body =
      d.status === 'accepted'
        ? `${d.decidedBy} accepted ${recordRef(d.module, d.recordId)} in "${d.processName}".`
        : [`${d.decidedBy} rejected fields of ${recordRef(d.module, d.recordId)} in "${d.processName}". Please correct:`, ...rejected.map(([field, x]) => `- ${field}: ${x.reason ?? ''}`)].join('\n');
    return [{ to: [d.createdBy], title: `${d.processName}: ${d.status}`, body, email: d.status === 'rejected', subject: { type: 'review', id: d.reviewId, module: d.module } }];
  }
  return [];
};

/**
 * On approval and review events: tell the people concerned.
 * 1. Messages from the event (a malformed event throws: retried, then dead-lettered).
 * 2. The actor is not told about their own act.
 * 3. One in-app notification per (event, recipient); for decisions an email at most once per
 *    (event, recipient) (shared/db/mail-once.ts); a user without an email gets the notification only.
 * Idempotent by its own marks (`own-marks`): the notification's key holds the event id (a conditional
 * put) and mail-once claims each email before sending it, so the consumer needs no claim of its own.
 */
export const handleProcessEvent = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const eventId = eventIdOf(event);
  const actor = event.detail.metadata.actor;
  for (const message of messagesFor(event)) {
    const recipients = message.to.filter((u) => u !== actor || message.subject.type === 'review');
    const users = await getUsers(deps, recipients);
    for (const userId of recipients) {
      await putNotification(deps, { userId, eventId, occurredAt: event.detail.metadata.occurredAt, kind: event['detail-type'], title: message.title, body: message.body, subject: message.subject });
      const email = users.get(userId)?.email;
      if (message.email && email) await sendEmailOnce(deps, { eventId, to: email, subject: message.title, text: message.body, resendUnconfirmed: event.detail.replay !== undefined });
    }
  }
};

export const processNotifications: EventConsumer = { name: PROCESS_NOTIFICATIONS, handle: handleProcessEvent, idempotency: 'own-marks' };
