import { businessMetric } from '../../shared/adapters/metrics.js';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { requireCadencePorts, type CadencePorts } from '../../shared/config/cadence.js';
import type { CadenceDefinition, EmailStep } from '../../shared/domain/cadence/definition.js';
import { escapeHtml, mergeValues, renderTemplate } from '../../shared/domain/cadence/template.js';
import { signUnsubscribeToken } from '../../shared/domain/cadence/unsubscribe-token.js';
import { emailSent } from '../../shared/events/catalog/cadences.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { cadenceMailKeys } from '../../shared/db/keys.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { acquireSendSlot } from '../../shared/db/send-pacer.js';
import { enrollmentHistoryPut, SEND_CLAIM_LEASE_MS, type EnrollmentItem } from '../../shared/db/enrollments-repo.js';
import { transactWrite, ConditionFailed } from '../../shared/db/transact.js';
import { getUser } from '../../shared/db/users-repo.js';

/** SES errors that mean "slow down": retried with backoff. */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException', 'SendingPausedException']);
/** Attempts of one send (wakes that claimed it) before it is dead-lettered (transient) or recorded as failed (refused). */
export const MAX_SEND_ATTEMPTS = 3;

/**
 * Whether SES refused this message for good: it answered with a 4xx that is not throttling (a rejected
 * message or address, an unverified sender, a bad request). Throttling, a 5xx, a network error or no
 * send slot are transient: the email may still go out later, so it is never recorded as failed.
 */
export const isPermanentSesRefusal = (error: unknown): boolean => {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && !THROTTLING.has(name ?? '');
};
export { SEND_CLAIM_LEASE_MS } from '../../shared/db/enrollments-repo.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SendMarker {
  PK: string;
  SK: string;
  entity: 'CadenceSend';
  status: 'SENDING' | 'RELEASED' | 'SENT' | 'FAILED';
  claimedAt: string;
  /** Wall-clock milliseconds of the claim (the lease). */
  claimedAtMs?: number;
  attempts: number;
  replyToken: string;
  to: string;
  messageId?: string;
  sentAt?: string;
  lastError?: string;
}

export type SendOutcome =
  | { kind: 'sent'; messageId: string; sentAt: string; to: string }
  /** SES refused it for good (after retries): record the step as failed. */
  | { kind: 'failed'; error: string }
  /** SES could not take it (throttled, failing) through every retry: dead-letter the step for an operator's replay; nothing went out. */
  | { kind: 'deferred'; error: string }
  /** A crashed earlier attempt claimed it and never confirmed: never guessed at, the step fails for an operator. */
  | { kind: 'unconfirmed' }
  /** Claimed by a sender that may still be at it (within its lease): look again once the lease is over. */
  | { kind: 'inFlight'; leaseEndsInMs: number }
  /** Someone else is sending it right now (or the enrollment moved on): re-read later. */
  | { kind: 'busy' };

const getMarker = async (deps: AppDeps, enrollment: EnrollmentItem, stepId: string): Promise<SendMarker | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceMailKeys.send(enrollment.enrollmentId, stepId), ConsistentRead: true }))).Item as SendMarker | undefined;

const displayName = (name: string): string => `"${name.replace(/[\r\n"\\]/g, ' ').trim()}"`;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Array<{ Name: string; Value: string }>;
  replyTo: string;
  from: string;
}

/** Subject, text and HTML with merge values (escaped in HTML), the unsubscribe footer and headers. */
export const renderStepEmail = (
  ports: CadencePorts,
  unsubscribeKey: Uint8Array,
  fromAddress: string,
  definition: CadenceDefinition,
  step: EmailStep,
  record: RecordItem,
  owner: { name?: string; email?: string },
  enrollment: EnrollmentItem,
  to: string,
  replyToken: string,
  now: Date,
): RenderedEmail => {
  const values = mergeValues(record.fields, { recordId: record.id, ownerName: owner.name, ownerEmail: owner.email, senderName: definition.sender.name });
  const token = signUnsubscribeToken(unsubscribeKey, { c: enrollment.cadenceId, r: enrollment.recordId, e: enrollment.enrollmentId, a: to }, now);
  const unsubscribeUrl = `${ports.publicApiUrl.replace(/\/+$/, '')}/v1/public/unsubscribe?token=${token}`;
  const mailto = `mailto:unsubscribe+${replyToken}@${ports.inboundDomain}?subject=unsubscribe`;
  const text = `${renderTemplate(step.text, values, 'text')}\n\n--\nTo stop these emails: ${unsubscribeUrl}`;
  const body = step.html ? renderTemplate(step.html, values, 'html') : `<p>${escapeHtml(renderTemplate(step.text, values, 'text')).replace(/\n/g, '<br>')}</p>`;
  const html = `${body}\n<p style="font-size:small">To stop these emails, <a href="${escapeHtml(unsubscribeUrl)}">unsubscribe</a>.</p>`;
  return {
    subject: renderTemplate(step.subject, values, 'header'),
    text,
    html,
    replyTo: `reply+${replyToken}@${ports.inboundDomain}`,
    from: `${displayName(definition.sender.name)} <${definition.sender.email ?? fromAddress}>`,
    headers: [
      { Name: 'List-Unsubscribe', Value: `<${unsubscribeUrl}>, <${mailto}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ],
  };
};

/** SES SendEmail (Simple content, so that custom headers are kept), throttling retried with backoff. */
const sesSend = async (deps: AppDeps, mail: RenderedEmail, to: string, tags: Record<string, string>): Promise<string> => {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await deps.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [to] },
          ReplyToAddresses: [mail.replyTo],
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
              Headers: mail.headers,
            },
          },
          ...(deps.mail.configurationSet ? { ConfigurationSetName: deps.mail.configurationSet } : {}),
          EmailTags: Object.entries(tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_.@-]/g, '_') })),
        }),
      );
      if (!res.MessageId) throw new Error('SES answered without a MessageId');
      return res.MessageId;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!THROTTLING.has(name) || attempt >= 6) throw error;
      await sleep(Math.min(5_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
};

/**
 * Sends one email step of one enrollment, at most once.
 * 1. Claim the (enrollment, step) marker in a transaction that also checks the enrollment has not moved
 *    on (version) and maps a fresh Reply-To token to it. A marker already SENT → its message (a crash
 *    after the send); one still SENDING past its lease, or claimed before this process started (local
 *    cloud) → unconfirmed (never guessed at); within its lease → in flight; FAILED → failed.
 * 2. Wait for a slot under the account's send rate; render; send (throttling retried with backoff).
 * 3. Mark SENT with the message id and map the SES message id to the enrollment (for its events).
 *    A send that failed releases the claim for a retry (the wake's retries, with backoff); after
 *    MAX_SEND_ATTEMPTS a refusal marks it FAILED, a transient failure answers `deferred` with the claim
 *    released and its attempts reset (the caller dead-letters the step; a replay starts afresh).
 */
export const sendStepEmail = async (
  deps: AppDeps,
  definition: CadenceDefinition,
  step: EmailStep,
  enrollment: EnrollmentItem,
  record: RecordItem,
  to: string,
): Promise<SendOutcome> => {
  const ports = requireCadencePorts(deps.cadence);
  const now = deps.clock();
  const markerKey = cadenceMailKeys.send(enrollment.enrollmentId, step.id);
  const replyToken = deps.newId().toLowerCase();
  const ref = { cadenceId: enrollment.cadenceId, recordId: enrollment.recordId, enrollmentId: enrollment.enrollmentId, stepId: step.id, module: enrollment.module, to };
  try {
    await transactWrite(deps, [
      {
        Update: {
          TableName: deps.tableName,
          Key: markerKey,
          UpdateExpression: 'SET entity = :e, #s = :sending, claimedAt = :now, claimedAtMs = :ms, replyToken = :rt, #to = :to ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(#s) OR #s = :released',
          ExpressionAttributeNames: { '#s': 'status', '#to': 'to' },
          ExpressionAttributeValues: { ':e': 'CadenceSend', ':sending': 'SENDING', ':released': 'RELEASED', ':now': now.toISOString(), ':ms': Date.now(), ':rt': replyToken, ':to': to, ':one': 1 },
        },
      },
      { Put: { TableName: deps.tableName, Item: { ...cadenceMailKeys.replyToken(replyToken), entity: 'CadenceReplyToken', ...ref, expiresAt: Math.floor(now.getTime() / 1000) + 400 * 86_400 }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { ConditionCheck: { TableName: deps.tableName, Key: { PK: enrollment.PK, SK: enrollment.SK }, ConditionExpression: 'version = :v AND #s = :active', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':v': enrollment.version, ':active': 'active' } } },
      // Erased since the wake read it (erasure marks the record first): nothing is claimed; the re-read unenrolls it.
      { ConditionCheck: { TableName: deps.tableName, Key: { PK: record.PK, SK: record.SK }, ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasure)' } },
    ]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    if (!error.failedIndexes.includes(0)) return { kind: 'busy' };
    const held = await getMarker(deps, enrollment, step.id);
    if (held?.status === 'SENT' && held.messageId) return { kind: 'sent', messageId: held.messageId, sentAt: held.sentAt ?? held.claimedAt, to: held.to };
    if (held?.status === 'FAILED') return { kind: 'failed', error: held.lastError ?? 'failed' };
    if (held?.status !== 'SENDING') return { kind: 'busy' };
    // The lease is about a sender process's life: measured on the wall clock, not business time.
    const age = Date.now() - (held.claimedAtMs ?? 0);
    const diedWithEarlierProcess = ports.sendersStartedAt !== undefined && (held.claimedAtMs ?? 0) < ports.sendersStartedAt;
    if (age > SEND_CLAIM_LEASE_MS || diedWithEarlierProcess) return { kind: 'unconfirmed' };
    return { kind: 'inFlight', leaseEndsInMs: SEND_CLAIM_LEASE_MS - age };
  }
  const owner = await getUser(deps, record.ownerId);
  const mail = renderStepEmail(ports, await ports.unsubscribeKey(), deps.mail.from, definition, step, record, { ...(owner?.name ? { name: owner.name } : {}), ...(owner?.email ? { email: owner.email } : {}) }, enrollment, to, replyToken, now);
  let messageId: string;
  try {
    if (!(await acquireSendSlot(deps, ports.sendRatePerSecond))) throw new Error('No send slot under the account send rate within 30 s');
    messageId = await sesSend(deps, mail, to, { cadence: enrollment.cadenceId, step: step.id });
  } catch (error) {
    return releaseFailedClaim(deps, markerKey, error);
  }
  businessMetric('EmailsSent', 1, { sender: 'cadence' });
  const sentAt = deps.clock().toISOString();
  await transactWrite(deps, [
    {
      Update: {
        TableName: deps.tableName,
        Key: markerKey,
        UpdateExpression: 'SET #s = :sent, messageId = :id, sentAt = :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':id': messageId, ':at': sentAt },
      },
    },
    { Put: { TableName: deps.tableName, Item: { ...cadenceMailKeys.message(messageId), entity: 'CadenceMessage', ...ref, messageId, sentAt, expiresAt: Math.floor(now.getTime() / 1000) + 400 * 86_400 } } },
  ]);
  return { kind: 'sent', messageId, sentAt, to };
};

/**
 * SES did not take it: release the claim (a retry may send). After the last attempt, a permanent refusal
 * marks it FAILED for good; a transient failure releases it with its attempts reset and answers `deferred`.
 */
const releaseFailedClaim = async (deps: AppDeps, markerKey: ReturnType<typeof cadenceMailKeys.send>, error: unknown): Promise<SendOutcome> => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const res = await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: markerKey,
      UpdateExpression: 'SET lastError = :err',
      ExpressionAttributeValues: { ':err': message.slice(0, 1000) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const attempts = Number(res.Attributes?.attempts ?? 1);
  if (attempts >= MAX_SEND_ATTEMPTS && isPermanentSesRefusal(error)) {
    await deps.db.send(new UpdateCommand({ TableName: deps.tableName, Key: markerKey, UpdateExpression: 'SET #s = :failed', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':failed': 'FAILED' } }));
    return { kind: 'failed', error: message };
  }
  if (attempts >= MAX_SEND_ATTEMPTS) {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: markerKey,
        UpdateExpression: 'SET #s = :released, attempts = :zero',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':released': 'RELEASED', ':zero': 0 },
      }),
    );
    return { kind: 'deferred', error: message };
  }
  // Released (attempts kept): SES said no, so nothing went out, and the retry of the wake task may claim it again.
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: markerKey,
        UpdateExpression: 'SET #s = :released',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':released': 'RELEASED' },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  throw error;
};

/** The email.sent history entry (outbox) for a sent step. */
export const emailSentHistory = (deps: AppDeps, enrollment: EnrollmentItem, stepId: string, outcome: Extract<SendOutcome, { kind: 'sent' }>, ctx: ChangeContext) =>
  enrollmentHistoryPut(deps, enrollment, emailSent.name, { stepId, messageId: outcome.messageId, to: outcome.to, at: outcome.sentAt }, ctx, outcome.sentAt);
