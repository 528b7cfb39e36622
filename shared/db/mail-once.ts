import { addressDigest } from '../domain/records/erasure.js';
import { businessMetric } from '../adapters/metrics.js';
import { currentTelemetry } from '../adapters/telemetry.js';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { AppDeps } from '../adapters/deps.js';
import { customerHtml, customerText, fromWithName } from '../domain/actions/customer-email.js';
import { mailMarkerKeys } from './keys.js';
import type { TransactItem } from './transact.js';

/** The organisation's display name when the deployment names none (the demo's). */
export const DEFAULT_SENDER_NAME = 'Keiro Travel';

/** Markers outlive any redelivery of the event (EventBridge retries for up to 24 h; DLQ replays later). */
export const MAIL_MARKER_TTL_SECONDS = 30 * 24 * 60 * 60;

/** How long a claimed send may take before a replay may consider it abandoned. */
export const SEND_LEASE_MS = 2 * 60 * 1000;

export interface OnceMail {
  /** The event this mail answers: with the recipient, the at-most-once key. */
  eventId: string;
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative (values already escaped by the template renderer). */
  html?: string;
  /**
   * Set when the recipient is a customer (a contact's or lead's address, not a user): the email then
   * opens with a greeting (to `name`) and ends with the organisation's signature.
   */
  customer?: { name?: string | undefined };
  /**
   * Set when an operator replays the dead-lettered event: a send that was claimed but never confirmed
   * (and whose lease ran out) is then sent. Only a person can accept the small risk of a duplicate.
   */
  resendUnconfirmed?: boolean;
}

export type MailOutcome = 'sent' | 'already-sent';

/**
 * An earlier delivery claimed this email and never confirmed it (it crashed, or is still sending).
 * Thrown so the event is retried and, if it stays unconfirmed, dead-lettered where an operator sees it
 * (`GET /v1/admin/dead-letters`) and can replay it: never dropped silently, never sent twice on its own.
 */
export class UnconfirmedSend extends Error {
  /** The recipient, for code; the message (logged by Lambda, kept in the dead letter) names only a digest of it. */
  readonly to: string;
  constructor(eventId: string, to: string) {
    super(`The email for event ${eventId} to recipient ${recipientDigest(to)} was claimed by an earlier delivery and never confirmed; replay the dead letter to send it`);
    this.name = 'UnconfirmedSend';
    this.to = to;
  }
}

/** A recipient as logs and error messages may name it: a short digest of the address, never the address. */
export const recipientDigest = (to: string): string => addressDigest(to).slice(0, 12);

/** Takes over an abandoned claim (lease over) for an operator's replay; false if someone else holds it. */
const reclaim = async (deps: AppDeps, key: ReturnType<typeof mailMarkerKeys.key>, claimedAt: string): Promise<boolean> => {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: key,
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: '#s = :sending AND claimedAt = :seen',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':now': deps.clock().toISOString(), ':sending': 'SENDING', ':seen': claimedAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

const claimItem = (deps: AppDeps, mail: Pick<OnceMail, 'eventId' | 'to'>) => {
  const now = deps.clock();
  return { ...mailMarkerKeys.key(mail.eventId, mail.to), entity: 'MailMarker', status: 'SENDING', claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MAIL_MARKER_TTL_SECONDS };
};

/**
 * The email's claim (status SENDING, only if unclaimed) as part of a transaction that precedes its
 * send (e.g. an automation's record write): both are written, or neither. Then `sendEmailOnce` with
 * `claimed: true` sends it.
 */
export const mailClaimTransactItem = (deps: AppDeps, mail: Pick<OnceMail, 'eventId' | 'to'>): TransactItem => ({
  Put: { TableName: deps.tableName, Item: claimItem(deps, mail), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** Releases a claim this delivery wrote and did not send (it failed before the send): a retry sends. */
export const releaseMailClaimTransactItem = (deps: AppDeps, mail: Pick<OnceMail, 'eventId' | 'to'>): TransactItem => ({
  Delete: { TableName: deps.tableName, Key: mailMarkerKeys.key(mail.eventId, mail.to), ConditionExpression: '#s = :sending', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':sending': 'SENDING' } },
});

const confirmUpdate = (deps: AppDeps, mail: Pick<OnceMail, 'eventId' | 'to'>, messageId: string | undefined) => ({
  TableName: deps.tableName,
  Key: mailMarkerKeys.key(mail.eventId, mail.to),
  UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
  ExpressionAttributeNames: { '#s': 'status' },
  ExpressionAttributeValues: { ':sent': 'SENT', ':at': deps.clock().toISOString(), ':id': messageId ?? 'unknown' },
});

export interface SendOptions {
  /** This delivery already wrote the claim (mailClaimTransactItem, committed): only send and confirm. */
  claimed?: boolean;
  /**
   * Confirm in the caller's next transaction instead of at once: the caller writes the confirmation with
   * its other marks. Until it does, the claim reads as unconfirmed (as after a crash right after the send).
   */
  confirmInto?: TransactItem[];
}

/**
 * Sends an email at most once per (event, recipient).
 * 1. Claim the marker (conditional put, status SENDING), unless the caller's transaction did
 *    (`claimed`). Taken and SENT → 'already-sent'. Taken and never confirmed → UnconfirmedSend (we
 *    cannot know whether SES got it), unless this is an operator's replay and the claim's lease ran
 *    out: then take the claim over and send.
 * 2. Send through SES v2 from the organisation's display name and `deps.mail.from`, with the
 *    configuration set if there is one; a customer's email gets the greeting and signature.
 * 3. Mark SENT (now, or in the caller's transaction: `confirmInto`). If SES refused, release the
 *    marker and rethrow, so the delivery is retried, never dropped.
 */
export const sendEmailOnce = async (deps: AppDeps, mail: OnceMail, options: SendOptions = {}): Promise<MailOutcome> => {
  const key = mailMarkerKeys.key(mail.eventId, mail.to);
  const now = deps.clock();
  if (!options.claimed) {
    try {
      await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: claimItem(deps, mail), ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item?.status?.S === 'SENT') return 'already-sent';
      const claimedAt = error.Item?.claimedAt?.S ?? '';
      const abandoned = now.getTime() - Date.parse(claimedAt) > SEND_LEASE_MS;
      if (!(mail.resendUnconfirmed && abandoned && (await reclaim(deps, key, claimedAt)))) throw new UnconfirmedSend(mail.eventId, mail.to);
    }
  }
  let messageId: string | undefined;
  const senderName = deps.mail.senderName ?? DEFAULT_SENDER_NAME;
  const letter = mail.customer ? { senderName, ...(mail.customer.name ? { name: mail.customer.name } : {}) } : undefined;
  const text = letter ? customerText(mail.text, letter) : mail.text;
  const html = mail.html && letter ? customerHtml(mail.html, letter) : mail.html;
  try {
    const res = await deps.ses.send(
      new SendEmailCommand({
        FromEmailAddress: fromWithName(senderName, deps.mail.from),
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' }, ...(html ? { Html: { Data: html, Charset: 'UTF-8' } } : {}) } } },
        ...(deps.mail.configurationSet ? { ConfigurationSetName: deps.mail.configurationSet } : {}),
        EmailTags: [{ Name: 'event', Value: mail.eventId.replace(/[^A-Za-z0-9_-]/g, '_') }],
      }),
    );
    messageId = res.MessageId;
    // Counted once SES took it: the sender is the handling's consumer or task (a few names Keiro defines).
    businessMetric('EmailsSent', 1, { sender: currentTelemetry()?.handler ?? 'unknown' });
  } catch (error) {
    await deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: key }));
    throw error;
  }
  if (options.confirmInto) options.confirmInto.push({ Update: confirmUpdate(deps, mail, messageId) });
  else await deps.db.send(new UpdateCommand(confirmUpdate(deps, mail, messageId)));
  return 'sent';
};
