import { businessMetric } from '../../shared/adapters/metrics.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { EmailEvents } from '../../shared/domain/cadence/planner.js';
import {
  emailBounced,
  emailClicked,
  emailComplained,
  emailDelivered,
  emailOpened,
  emailReplied,
  type UnenrollReason,
} from '../../shared/events/catalog/cadences.js';
import { getCadenceVersion } from '../../shared/db/cadences-repo.js';
import { enrollmentHistoryPut, getEnrollment, unenrollWrite, updateEnrollmentWithRetry, type EnrollmentItem } from '../../shared/db/enrollments-repo.js';
import { cadenceMailKeys } from '../../shared/db/keys.js';
import { suppressionPut, type SuppressionReason } from '../../shared/db/suppression-repo.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { replanNow } from './replan.js';

/** What a cadence email did, as the report and the planner count it. */
export type EmailReaction = 'delivered' | 'opened' | 'clicked' | 'replied' | 'bounced' | 'complained';

const FIELD: Record<EmailReaction, keyof EmailEvents> = {
  delivered: 'deliveredAt',
  opened: 'openedAt',
  clicked: 'clickedAt',
  replied: 'repliedAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
};
const EVENT = { delivered: emailDelivered, opened: emailOpened, clicked: emailClicked, replied: emailReplied, bounced: emailBounced, complained: emailComplained } as const;

/** Which cadence email a message id or a reply token belongs to (written before/after the send). */
export interface CadenceMessageRef {
  cadenceId: string;
  recordId: string;
  enrollmentId: string;
  stepId: string;
  module: string;
  to: string;
  messageId?: string;
}

export const findMessage = async (deps: AppDeps, messageId: string): Promise<CadenceMessageRef | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceMailKeys.message(messageId) }))).Item as CadenceMessageRef | undefined;

export const findReplyToken = async (deps: AppDeps, token: string): Promise<CadenceMessageRef | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: cadenceMailKeys.replyToken(token) }))).Item as CadenceMessageRef | undefined;

/**
 * Records what a cadence email did, and reacts.
 * 1. Only the first event of each kind per (enrollment, step) counts: a redelivery or a second open changes nothing.
 * 2. One transaction on the enrollment: the event time, the step's counter, the `email.<kind>` history entry;
 *    a bounce or complaint also suppresses the address.
 * 3. If the enrollment is running: a reply (with onReply) or a bounce/complaint (with onBounce) ends it
 *    with that reason; anything else makes it plan again at once (a branch may now be due).
 * An event for an enrollment that has since been replaced (the record re-enrolled) is not counted twice.
 */
export const recordEmailReaction = async (deps: AppDeps, ref: CadenceMessageRef, reaction: EmailReaction, at: string, detail?: string): Promise<'recorded' | 'duplicate' | 'unknown'> => {
  const first = await getEnrollment(deps, ref.cadenceId, ref.recordId);
  if (!first || first.enrollmentId !== ref.enrollmentId) return 'unknown';
  const definition = await getCadenceVersion(deps, ref.cadenceId, first.cadenceVersion);
  let outcome: 'recorded' | 'duplicate' | 'unknown' = 'unknown';
  await updateEnrollmentWithRetry(deps, ref.cadenceId, ref.recordId, (current) => {
    if (current.enrollmentId !== ref.enrollmentId) {
      outcome = 'unknown';
      return undefined;
    }
    const events = current.events[ref.stepId] ?? {};
    if (events[FIELD[reaction]]) {
      outcome = 'duplicate';
      return undefined;
    }
    outcome = 'recorded';
    const ctx = { actor: 'system', via: 'cadence' as const, correlationId: current.enrollmentId };
    const base: EnrollmentItem = {
      ...current,
      events: { ...current.events, [ref.stepId]: { ...events, [FIELD[reaction]]: at } },
      version: current.version + 1,
      updatedAt: deps.clock().toISOString(),
    };
    const messageId = ref.messageId ?? current.steps[ref.stepId]?.messageId ?? 'unknown';
    const extra: TransactItem[] = [enrollmentHistoryPut(deps, base, EVENT[reaction].name, { stepId: ref.stepId, messageId, to: ref.to, at, ...(detail ? { detail: detail.slice(0, 2048) } : {}) }, ctx, at)];
    if (reaction === 'bounced' || reaction === 'complained') extra.push(suppressionPut(deps, ref.to, reaction as SuppressionReason, { cadenceId: ref.cadenceId, recordId: ref.recordId }));
    const counters: Record<string, number> = { [`step:${ref.stepId}:${reaction}`]: 1 };
    const running = current.status === 'active' || current.status === 'paused';
    const endsOn: UnenrollReason | undefined =
      reaction === 'replied' && definition?.unenrollment.onReply !== false
        ? 'replied'
        : (reaction === 'bounced' || reaction === 'complained') && definition?.unenrollment.onBounce !== false
          ? reaction
          : undefined;
    if (running && endsOn) {
      const ended = unenrollWrite(deps, { ...base, version: current.version }, endsOn, { ...ctx, reason: `The recipient's email was ${reaction}` });
      return { next: ended.next, counters: { ...counters, ...ended.counters }, extra: [...extra, ...ended.extra] };
    }
    if (current.status === 'active' && reaction !== 'delivered') {
      const { next, timer } = replanNow(deps, base);
      return { next, counters, extra: [...extra, timer] };
    }
    return { next: base, counters, extra };
  });
  // Set inside the retried change above (TypeScript cannot see that it runs).
  const result = outcome as 'recorded' | 'duplicate' | 'unknown';
  if (result === 'recorded' && reaction === 'bounced') businessMetric('EmailsBounced', 1, { sender: 'cadence' });
  if (result === 'recorded' && reaction === 'opened') businessMetric('EmailsOpened', 1, { sender: 'cadence' });
  return result;
};
