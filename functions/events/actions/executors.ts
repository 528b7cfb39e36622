import type { AppDeps } from '../../../shared/adapters/deps.js';
import { postWebhook, WebhookAddressForbidden, WebhookRefused } from '../../../shared/adapters/webhooks.js';
import type { PlannedAction } from '../../../shared/domain/actions/index.js';
import { validateFieldValues, type FieldValues } from '../../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { outcomeTransactItem, recordedOutcomes, recordOutcome, type ActionOutcome } from '../../../shared/db/action-runs.js';
import type { ChangeContext } from '../../../shared/db/history.js';
import { recipientDigest, sendEmailOnce } from '../../../shared/db/mail-once.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import { alreadyCreated, createdOnce, onceTransactItem, type OnceScope } from '../../../shared/db/once-markers.js';
import { putNotification } from '../../../shared/db/notifications-repo.js';
import { createRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { httpErrorOf } from '../../../shared/http/errors.js';
import { Invalid, NotFound } from '../../../shared/domain/errors.js';

/** The run an action belongs to. */
export interface RunScope {
  sourceEventId: string;
  occurredAt: string;
  ctx: ChangeContext;
  /** Where creating actions count as done: the journey instance and state, the rule and record change… (see RunsSchema). */
  onceScope: string;
  /** An operator's replay: an email claimed and never confirmed may be sent (see RunActionsInput). */
  resendUnconfirmed?: boolean;
}

/** Statuses of a write the records core refused for good: retrying cannot help (a 409 race is retried). */
const FINAL_REFUSALS = new Set([400, 403, 404, 412, 422, 423]);

type Executor<T extends PlannedAction['type']> = (deps: AppDeps, action: Extract<PlannedAction, { type: T }>, run: RunScope) => Promise<ActionOutcome>;

const done = (action: PlannedAction, detail?: string): ActionOutcome => ({ index: action.index, type: action.type, status: 'done', ...(detail ? { detail } : {}) });

const requireModule = async (deps: AppDeps, name: string): Promise<ModuleMetadata> => {
  const module = await getModule(deps, name);
  if (!module) throw new NotFound(`No module ${name}`);
  return module;
};

const validated = (module: ModuleMetadata, fields: Record<string, unknown>, mode: 'create' | 'patch', deps: AppDeps) => {
  const { values, errors } = validateFieldValues(module, fields, mode, deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid record fields', errors);
  return values;
};

/**
 * A record write through the records core (its one write path: locks, governed fields, version
 * checks), with the action's marker in the same transaction: the write happens once, whatever the
 * redeliveries. A refusal that retrying cannot change becomes a `refused` outcome.
 */
const recordWrite = async (
  deps: AppDeps,
  action: PlannedAction,
  run: RunScope,
  write: (marker: (detail?: string) => ActionOutcome) => Promise<ActionOutcome>,
  once?: OnceScope,
): Promise<ActionOutcome> => {
  try {
    return await write((detail) => done(action, detail));
  } catch (thrown) {
    const error = httpErrorOf(thrown);
    if (!error || !FINAL_REFUSALS.has(error.status)) throw thrown;
    // The marker's own condition fails when a concurrent delivery did it first.
    const first = (await recordedOutcomes(deps, run.sourceEventId)).get(action.index);
    if (first) return first;
    // The once marker's condition fails when another run in the same scope created it first.
    const created = once && (await createdOnce(deps, once));
    if (created && once) return settle(deps, run, done(action, alreadyCreated(created, once.scope)));
    const fields = error.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    const refused: ActionOutcome = { index: action.index, type: action.type, status: 'refused', detail: `${error.status} ${error.message}${fields ? ` (${fields})` : ''}` };
    await recordOutcome(deps, run.sourceEventId, refused);
    return refused;
  }
};

const updateFields: Executor<'updateFields' | 'associate'> = (deps, action, run) =>
  recordWrite(deps, action, run, async (outcome) => {
    const module = await requireModule(deps, action.module);
    const fields = validated(module, action.fields, 'patch', deps);
    const result = outcome(Object.keys(fields).join(', '));
    const { changes } = await updateRecord(deps, module, action.recordId, { fields }, run.ctx, {
      extraItems: () => [outcomeTransactItem(deps, run.sourceEventId, result)],
    });
    if (changes.length === 0) {
      const unchanged = outcome('no change: the fields already had these values');
      await recordOutcome(deps, run.sourceEventId, unchanged);
      return unchanged;
    }
    return result;
  });

const settle = async (deps: AppDeps, run: RunScope, outcome: ActionOutcome): Promise<ActionOutcome> => {
  await recordOutcome(deps, run.sourceEventId, outcome);
  return outcome;
};

/**
 * Creates a task or record; one that runs once (the default) does nothing when its scope already has
 * its marker, and writes the marker with what it creates, so two runs racing in one scope create one.
 */
const create: Executor<'createTask' | 'createRecord'> = async (deps, action, run) => {
  const once = action.once ? { scope: run.onceScope, index: action.index } : undefined;
  const earlier = once && (await createdOnce(deps, once));
  if (earlier && once) return settle(deps, run, done(action, alreadyCreated(earlier, once.scope)));
  return recordWrite(
    deps,
    action,
    run,
    async (outcome) => {
      const module = await requireModule(deps, action.module);
      const fields = validated(module, action.fields, 'create', deps) as FieldValues;
      const id = deps.newId();
      const result = outcome(`${action.module}/${id}`);
      const marks = [outcomeTransactItem(deps, run.sourceEventId, result), ...(once ? [onceTransactItem(deps, once, `${action.module}/${id}`)] : [])];
      await createRecord(deps, module, { id, ownerId: action.ownerId, fields }, run.ctx, marks);
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
  await sendEmailOnce(deps, { eventId: `${run.sourceEventId}.${action.index}`, to: action.to, subject: action.subject, text: action.text, ...(action.html ? { html: action.html } : {}), ...(action.customer ? { customer: action.customer } : {}), ...(run.resendUnconfirmed ? { resendUnconfirmed: true } : {}) });
  const result = done(action, action.customer ? `customer ${recipientDigest(action.to)}` : action.to);
  await recordOutcome(deps, run.sourceEventId, result);
  return result;
};

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
  const result = done(action, action.userId);
  await recordOutcome(deps, run.sourceEventId, result);
  return result;
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
  await recordOutcome(deps, run.sourceEventId, result);
  return result;
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
      const result: ActionOutcome = { index: action.index, type: action.of, status: 'unresolved', detail: action.reason };
      return recordOutcome(deps, run.sourceEventId, result).then(() => result);
    }
  }
};
