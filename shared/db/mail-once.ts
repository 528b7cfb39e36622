import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { AppDeps } from '../adapters/deps.js';
import { mailMarkerKeys } from './keys.js';

/** Markers outlive any redelivery of the event (EventBridge retries for up to 24 h; DLQ replays later). */
export const MAIL_MARKER_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface OnceMail {
  /** The event this mail answers: with the recipient, the at-most-once key. */
  eventId: string;
  to: string;
  subject: string;
  text: string;
}

export type MailOutcome = 'sent' | 'already-sent' | 'unknown';

/**
 * Sends an email at most once per (event, recipient).
 * 1. Claim the marker (conditional put, status SENDING). Taken → 'already-sent' (or 'unknown' if a
 *    send was claimed and never confirmed: we cannot know whether SES got it, so we do not send twice).
 * 2. Send through SES v2 from `deps.mail.from`, with the configuration set if there is one.
 * 3. Mark SENT. If SES refused, release the marker and rethrow, so the delivery is retried, never dropped.
 */
export const sendEmailOnce = async (deps: AppDeps, mail: OnceMail): Promise<MailOutcome> => {
  const key = mailMarkerKeys.key(mail.eventId, mail.to);
  const now = deps.clock();
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...key, entity: 'MailMarker', status: 'SENDING', claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MAIL_MARKER_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return error.Item?.status?.S === 'SENT' ? 'already-sent' : 'unknown';
    throw error;
  }
  let messageId: string | undefined;
  try {
    const res = await deps.ses.send(
      new SendEmailCommand({
        FromEmailAddress: deps.mail.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } } },
        ...(deps.mail.configurationSet ? { ConfigurationSetName: deps.mail.configurationSet } : {}),
        EmailTags: [{ Name: 'event', Value: mail.eventId.replace(/[^A-Za-z0-9_-]/g, '_') }],
      }),
    );
    messageId = res.MessageId;
  } catch (error) {
    await deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: key }));
    throw error;
  }
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: key,
      UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':sent': 'SENT', ':at': deps.clock().toISOString(), ':id': messageId ?? 'unknown' },
    }),
  );
  return 'sent';
};
