import type { AppDeps } from '../../../shared/adapters/deps.js';
import { postWebhook, WebhookAddressForbidden, WebhookRefused } from '../../../shared/adapters/webhooks.js';
import type { PlannedAction } from '../../../shared/domain/actions/index.js';
import { validateFieldValues, type FieldValues } from '../../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { actionMarks, CreatedOnceAlready, MailClaimTaken, outcomeAfterFailure, outcomePut, refusedOutcome, outcomeTransactItem, recordOutcome, type ActionOutcome } from '../../../shared/db/action-runs.js';
import type { ChangeContext } from '../../../shared/db/history.js';
import { mailClaimTransactItem, recipientDigest, sendEmailOnce } from '../../../shared/db/mail-once.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import { alreadyCreated, createdOnce, onceTransactItem, type OnceScope } from '../../../shared/db/once-markers.js';
import { putNotification } from '../../../shared/db/notifications-repo.js';
import { createRecord, updateRecord } from '../../../shared/db/records-repo.js';
import type { TransactItem } from '../../../shared/db/transact.js';
import { httpErrorOf } from '../../../shared/http/errors.js';
import { Invalid, NotFound } from '../../../shared/domain/errors.js';
import type { ActionReads } from './reads.js';

/** The run an action belongs to. */
export interface RunScope {
  sourceEventId: string;
  occurredAt: string;
  ctx: ChangeContext;
  /** Where creating actions count as done: the journey instance and state, the rule and record change… (see RunsSchema). */
  onceScope: string;
  /** An operator's replay: an email claimed and never confirmed may be sent (see RunActionsInput). */
  resendUnconfirmed?: boolean;
  /** What the caller read in its own batch (modules, process state, once markers): no read of them here. */
  reads?: ActionReads;
  /**
   * The run's closing transaction, written by the caller: after-the-fact outcomes and email
   * confirmations go here instead of one write each (see runActions).
   */
  tail?: TransactItem[];
  /**
   * Emails of this run not yet claimed, by action index: the next record write carries their claims
   * (mail-once's claim before send, in the same transaction), so they cost no write of their own.
   */
  unclaimed?: Map<number, { eventId: string; to: string }>;
  /** Emails whose claim a record write of this delivery committed, not sent yet. */
  claimed?: Map<number, { eventId: string; to: string }>;
}

/** Statuses of a write the records core refused for good: retrying cannot help (a 409 race is retried). */
const FINAL_REFUSALS = new Set([400, 403, 404, 412, 422, 423]);

type Executor<T extends PlannedAction['type']> = (deps: AppDeps, action: Extract<PlannedAction, { type: T }>, run: RunScope) => Promise<ActionOutcome>;

const done = (action: PlannedAction, detail?: string): ActionOutcome => ({ index: action.index, type: action.type, status: 'done', ...(detail ? { detail } : {}) });

const requireModule = async (deps: AppDeps, name: string, run: RunScope): Promise<ModuleMetadata> => {
  const module = run.reads?.modules.get(name) ?? (await getModule(deps, name));
  if (!module) throw new NotFound(`No module ${name}`);
  return module;
};

const validated = (module: ModuleMetadata, fields: Record<string, unknown>, mode: 'create' | 'patch', deps: AppDeps) => {
  const { values, errors } = validateFieldValues(module, fields, mode, deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid record fields', errors);
  return values;
};

/** Claims of the run's later emails, for a record write to carry; `wrote` moves them to claimed once it committed. */
const laterClaims = (deps: AppDeps, run: RunScope) => {
  const pending = [...(run.unclaimed ?? new Map()).entries()];
  return {
    items: pending.map(([, mail]) => mailClaimTransactItem(deps, mail)),
    wrote: () => {
      for (const [index, mail] of pending) {
        run.unclaimed?.delete(index);
        run.claimed?.set(index, mail);
      }
    },
  };
};

/**
 * A record write through the records core (its one write path: locks, governed fields, version
 * checks), with the action's marks in the same transaction (actionMarks): the write happens once,
 * whatever the redeliveries. The claims of the run's later emails ride along (see RunScope.unclaimed);
 * when another delivery claimed one first (MailClaimTaken) the write is tried once more without them,
 * so a claim never turns into a refusal. A marker there first means another delivery or run did it:
 * its outcome is answered. A refusal that retrying cannot change becomes a `refused` outcome.
 */
const recordWrite = async (
  deps: AppDeps,
  action: PlannedAction,
  run: RunScope,
  write: (marker: (detail?: string) => ActionOutcome, claims: ReturnType<typeof laterClaims>) => Promise<ActionOutcome>,
  once?: OnceScope,
): Promise<ActionOutcome> => {
  const marker = (detail?: string) => done(action, detail);
  const claims = laterClaims(deps, run);
  try {
    try {
      return await write(marker, claims);
    } catch (thrown) {
      if (!(thrown instanceof MailClaimTaken)) throw thrown;
      return await write(marker, { items: [], wrote: () => undefined });
    }
  } catch (thrown) {
    const created = thrown instanceof CreatedOnceAlready && once ? await createdOnce(deps, once) : undefined;
    if (created && once) return settle(deps, run, done(action, alreadyCreated(created, once.scope)));
    const error = httpErrorOf(thrown);
    const refused = error && FINAL_REFUSALS.has(error.status) ? refusedOutcome(action.index, action.type, error) : undefined;
    return outcomeAfterFailure(thrown, run.sourceEventId, action.index, deps, refused, (outcome) => settle(deps, run, outcome));
  }
};

const updateFields: Executor<'updateFields' | 'associate'> = (deps, action, run) =>
  recordWrite(deps, action, run, async (outcome, claims) => {
    const module = await requireModule(deps, action.module, run);
    const fields = validated(module, action.fields, 'patch', deps);
    const result = outcome(Object.keys(fields).join(', '));
    const marks = actionMarks(outcomeTransactItem(deps, run.sourceEventId, result), { claims: claims.items });
    const { changes } = await updateRecord(deps, module, action.recordId, { fields }, run.ctx, { extraItems: () => marks.items, extraFailure: marks.failure });
    // No change writes nothing: the claims stay for the next write (or their own).
    if (changes.length === 0) return settle(deps, run, outcome('no change: the fields already had these values'));
    claims.wrote();
    return result;
  });

/** Records an outcome after the fact: in the run's closing transaction when it has one, else at once. */
const settle = async (deps: AppDeps, run: RunScope, outcome: ActionOutcome): Promise<ActionOutcome> => {
  if (run.tail) run.tail.push({ Put: outcomePut(deps, run.sourceEventId, outcome) });
  else await recordOutcome(deps, run.sourceEventId, outcome);
  return outcome;
};

/**
 * Creates a task or record; one that runs once (the default) does nothing when its scope already has
 * its marker, and writes the marker with what it creates, so two runs racing in one scope create one.
 */
const create: Executor<'createTask' | 'createRecord'> = async (deps, action, run) => {
  const once = action.once ? { scope: run.onceScope, index: action.index } : undefined;
  const earlier = once && (run.reads ? run.reads.created.get(action.index) : await createdOnce(deps, once));
  if (earlier && once) return settle(deps, run, done(action, alreadyCreated(earlier, once.scope)));
  return recordWrite(
    deps,
    action,
    run,
    async (outcome, claims) => {
      const module = await requireModule(deps, action.module, run);
      const fields = validated(module, action.fields, 'create', deps) as FieldValues;
      const id = deps.newId();
      const result = outcome(`${action.module}/${id}`);
      const marks = actionMarks(outcomeTransactItem(deps, run.sourceEventId, result), { once: once && onceTransactItem(deps, once, `${action.module}/${id}`), claims: claims.items });
      const processes = run.reads?.processes.get(action.module);
      await createRecord(deps, module, { id, ownerId: action.ownerId, fields }, run.ctx, marks.items, { extraFailure: marks.failure, ...(processes ? { processes } : {}) });
      claims.wrote();
      return result;
    },
    once,
  );
};

/**
 * At most once per (event, action, recipient) through mail-once; the marker follows. It names a
 * colleague by address and a customer by digest only: the run log (kept 30 days, shown in the rules'
 * execution log) holds no customer's personal data, so nothing of it is left to erase.
 */
const sendEmail: Executor<'sendEmail'> = async (deps, action, run) => {
  // From here the claim is mail-once's: it confirms it, or releases it if SES refuses.
  const claimed = run.claimed?.delete(action.index) ?? false;
  run.unclaimed?.delete(action.index);
  await sendEmailOnce(
    deps,
    { eventId: emailEventId(run, action), to: action.to, subject: action.subject, text: action.text, ...(action.html ? { html: action.html } : {}), ...(action.customer ? { customer: action.customer } : {}), ...(run.resendUnconfirmed ? { resendUnconfirmed: true } : {}) },
    { claimed, ...(run.tail ? { confirmInto: run.tail } : {}) },
  );
  return settle(deps, run, done(action, action.customer ? `customer ${recipientDigest(action.to)}` : action.to));
};

/** The at-most-once key of an email action: (source event, action index) with its recipient. */
export const emailEventId = (run: Pick<RunScope, 'sourceEventId'>, action: Pick<PlannedAction, 'index'>): string => `${run.sourceEventId}.${action.index}`;

/** One in-app notification per (event, action, recipient). */
const notify: Executor<'notify'> = async (deps, action, run) => {
  await putNotification(deps, {
    userId: action.userId,
    eventId: `${run.sourceEventId}.${action.index}`,
    occurredAt: run.occurredAt,
    kind: run.ctx.automation ? `${run.ctx.automation.kind}.notification` : 'automation.notification',
    title: action.title,
    body: action.body,
    subject: action.subject,
  });
  return settle(deps, run, done(action, action.userId));
};

/** Signed POST with retries; a receiver's 4xx or a forbidden address is a refusal, exhausted retries throw (redelivered, then dead-lettered). */
const webhook: Executor<'webhook'> = async (deps, action, run) => {
  let result: ActionOutcome;
  if (!deps.webhooks) {
    result = { index: action.index, type: action.type, status: 'refused', detail: 'Webhooks are not configured in this deployment (WEBHOOK_SIGNING_SECRET)' };
  } else {
    try {
      const status = await postWebhook(deps.webhooks, action.url, { event: run.sourceEventId, automation: run.ctx.automation, ...action.body }, `${run.sourceEventId}.${action.index}`, deps.clock);
      result = done(action, `${new URL(action.url).host} answered ${status}`);
    } catch (error) {
      if (!(error instanceof WebhookRefused || error instanceof WebhookAddressForbidden)) throw error;
      result = { index: action.index, type: action.type, status: 'refused', detail: error.message };
    }
  }
  return settle(deps, run, result);
};

/** One executor per planned action type. */
export const executeAction = (deps: AppDeps, action: PlannedAction, run: RunScope): Promise<ActionOutcome> => {
  switch (action.type) {
    case 'updateFields':
    case 'associate':
      return updateFields(deps, action, run);
    case 'createTask':
    case 'createRecord':
      return create(deps, action, run);
    case 'sendEmail':
      return sendEmail(deps, action, run);
    case 'notify':
      return notify(deps, action, run);
    case 'webhook':
      return webhook(deps, action, run);
    case 'unresolved': {
      return settle(deps, run, { index: action.index, type: action.of, status: 'unresolved', detail: action.reason });
    }
  }
};
