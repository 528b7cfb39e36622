import type { AppDeps } from '../../shared/adapters/deps.js';
import { addressesOf, parseMailHeaders } from '../../shared/domain/cadence/mail-headers.js';
import { findReplyToken, recordEmailReaction } from './reactions.js';
import { unsubscribe } from './unsubscribe.js';

/** Subjects of automatic answers (out of office, vacation, auto-reply), in the languages the demo meets. */
const AUTO_SUBJECT = /^\s*(?:auto(?:matic)?[\s-]*(?:reply|response|answer)|out of (?:the )?office|ooo\b|away from (?:the )?office|on vacation|abwesenheit|absence|r[ée]ponse automatique|自動返信|自動応答|不在)/i;

/**
 * Is this mail an automatic answer rather than a person's reply? RFC 3834 `Auto-Submitted` (anything
 * but `no`), the vendor headers `X-Autoreply`/`X-Autorespond`/`X-Auto-Response-Suppress`, `Precedence`
 * bulk/junk/list/auto_reply, and subjects such as "Out of office" or "Automatic reply".
 */
export const isAutoReply = (headers: ReadonlyMap<string, unknown>, subject: string | undefined): boolean => {
  const header = (name: string): string => {
    const value = headers.get(name);
    return typeof value === 'string' ? value.trim().toLowerCase() : value === undefined || value === null ? '' : String(value).toLowerCase();
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (header('x-autoreply') || header('x-autorespond') || header('x-autoresponder')) return true;
  if (/\b(?:oof|autoreply|all)\b/.test(header('x-auto-response-suppress'))) return true;
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(header('precedence'))) return true;
  return AUTO_SUBJECT.test(subject ?? '');
};

export type InboundOutcome = 'replied' | 'unsubscribed' | 'autoReply' | 'unknownRecipient' | 'duplicate';

/** The token of a `reply+<token>@` or `unsubscribe+<token>@` address. */
const tokenOf = (addresses: readonly string[], prefix: 'reply' | 'unsubscribe'): string | undefined => {
  for (const a of addresses) {
    const m = new RegExp(`^${prefix}\\+([0-9a-z]{26})@`).exec(a);
    if (m?.[1]) return m[1];
  }
  return undefined;
};

/**
 * The reply processor: an inbound mail (raw MIME, as SES receiving stores it in S3).
 * 1. Parse its headers (the body is never read); find the token in To/Cc/Delivered-To (`reply+…` or
 *    `unsubscribe+…`).
 * 2. `unsubscribe+…`: unsubscribe the address the email went to (as the one-click link does).
 * 3. An automatic answer (out of office…) is ignored: it is no reply.
 * 4. Otherwise record `replied` on the email's step (first reply counts), which ends the enrollment
 *    when the cadence unenrolls on reply and emits `email.replied`.
 */
export const processInboundMail = async (deps: AppDeps, raw: string | Buffer): Promise<InboundOutcome> => {
  const headers = parseMailHeaders(raw);
  const recipients = ['to', 'cc', 'delivered-to'].flatMap((name) => (headers.all.get(name) ?? []).flatMap(addressesOf));
  const subject = headers.first.get('subject');
  const unsubscribeToken = tokenOf(recipients, 'unsubscribe');
  if (unsubscribeToken) {
    const ref = await findReplyToken(deps, unsubscribeToken);
    if (!ref) return 'unknownRecipient';
    await unsubscribe(deps, { c: ref.cadenceId, r: ref.recordId, e: ref.enrollmentId, a: ref.to });
    return 'unsubscribed';
  }
  const replyToken = tokenOf(recipients, 'reply');
  if (!replyToken) return 'unknownRecipient';
  const ref = await findReplyToken(deps, replyToken);
  if (!ref) return 'unknownRecipient';
  if (isAutoReply(headers.first, subject)) return 'autoReply';
  // When it arrived (the mail's own Date header is the sender's to set).
  const at = deps.clock().toISOString();
  const outcome = await recordEmailReaction(deps, ref, 'replied', at, subject?.slice(0, 200));
  return outcome === 'recorded' ? 'replied' : outcome === 'duplicate' ? 'duplicate' : 'unknownRecipient';
};
