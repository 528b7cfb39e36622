import type { AppDeps } from '../../shared/adapters/deps.js';
import { customerNameOf, renderTemplate, runsOnce, type Action } from '../../shared/domain/actions/index.js';
import type { JourneyAction } from '../../shared/domain/journey/definition.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import { actionMarks, CreatedOnceAlready, outcomeAfterFailure, outcomeTransactItem, recordedOutcomes, recordOutcome, refusedOutcome, type ActionOutcome } from '../../shared/db/action-runs.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { sendEmailOnce } from '../../shared/db/mail-once.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { alreadyCreated, createdOnce, onceTransactItem, type OnceScope } from '../../shared/db/once-markers.js';
import { createRecord, getRecord, isConvertedLead, updateRecord, type RecordItem } from '../../shared/db/records-repo.js';
import { getUser } from '../../shared/db/users-repo.js';
import type { JourneyStateChanged } from '../../shared/events/catalog/journey-state-changed.js';
import { httpErrorOf } from '../../shared/http/errors.js';
import { convertLead } from '../conversion/convert-lead.js';
import { runCadenceAction } from './cadences.js';
import { runActions } from '../events/actions/run-actions.js';
import { journeyVersion } from './run-instances.js';
import { Invalid } from '../../shared/domain/errors.js';

/** Journey actions that are the action library's, in its terms (the customer's email field for `customer`). */
export const asLibraryAction = (action: JourneyAction): Action | undefined => {
  switch (action.type) {
    case 'createTask':
      return { type: 'createTask', subject: action.subject, assignee: action.assignee, dueInDays: action.dueInDays, ...(action.runs ? { runs: action.runs } : {}) };
    case 'sendEmail':
      return { type: 'sendEmail', to: action.to === 'customer' ? { kind: 'field', field: 'email' } : { kind: action.to }, template: { subject: action.subject, text: action.text } };
    case 'notify':
      return { type: 'notify', to: action.to, message: action.message };
    default:
      return undefined;
  }
};

interface Scope {
  sourceEventId: string;
  data: JourneyStateChanged;
  customer: RecordItem;
  ctx: ChangeContext;
  /** An operator's replay of the event's dead letter: an email claimed and never confirmed may be sent. */
  resendUnconfirmed: boolean;
  /** Where creating actions count as done: the instance and the state it entered. */
  onceScope: string;
}

/** The once scope of an action that runs once (the default), else none. */
const onceOf = (scope: Scope, index: number, action: { runs?: 'once' | 'everyTime' | undefined }): OnceScope | undefined =>
  runsOnce(action) ? { scope: scope.onceScope, index } : undefined;

/** What an action created on an earlier entry into this state, recorded as its outcome now (or undefined: it runs). */
const skippedOnce = async (deps: AppDeps, scope: Scope, index: number, type: string, once: OnceScope | undefined): Promise<ActionOutcome | undefined> => {
  const created = once && (await createdOnce(deps, once));
  if (!created || !once) return undefined;
  const outcome = done(index, type, alreadyCreated(created, once.scope));
  await recordOutcome(deps, scope.sourceEventId, outcome);
  return outcome;
};

const done = (index: number, type: string, detail: string): ActionOutcome => ({ index, type, status: 'done', detail });

/** Records a refusal that retrying cannot change (a 4xx of the records core) and returns it, unless an outcome was recorded first. */
const refusedOnce = async (deps: AppDeps, sourceEventId: string, index: number, type: string, thrown: unknown): Promise<ActionOutcome> => {
  const error = httpErrorOf(thrown);
  const refused = error && error.status < 500 && error.status !== 409 ? refusedOutcome(index, type, error) : undefined;
  return outcomeAfterFailure(thrown, sourceEventId, index, deps, refused, async (outcome) => (await recordOutcome(deps, sourceEventId, outcome), outcome));
};

/** convertLead: the conversion use case, as automation, with the outcome mark in its transaction. */
const runConvertLead = async (deps: AppDeps, scope: Scope, index: number): Promise<ActionOutcome> => {
  const { customer } = scope;
  if (customer.module !== 'Leads' || isConvertedLead(customer)) {
    const outcome = done(index, 'convertLead', `nothing to convert: ${customer.module} ${customer.id}${isConvertedLead(customer) ? ' (converted already)' : ''}`);
    await recordOutcome(deps, scope.sourceEventId, outcome);
    return outcome;
  }
  try {
    const outcome = done(index, 'convertLead', `Leads/${customer.id}`);
    const marks = actionMarks(outcomeTransactItem(deps, scope.sourceEventId, outcome));
    const result = await convertLead(deps, customer.id, {}, { ...scope.ctx, via: 'journey' }, { extraItems: marks.items, extraFailure: marks.failure });
    return { ...outcome, detail: `contact ${result.contactId}${result.accountId ? `, account ${result.accountId}` : ''}` };
  } catch (error) {
    return refusedOnce(deps, scope.sourceEventId, index, 'convertLead', error);
  }
};

/** createRecord: a record related to the customer (its lookup `customerField`), values from the customer's fields. */
const runCreateRecord = async (deps: AppDeps, scope: Scope, index: number, action: Extract<JourneyAction, { type: 'createRecord' }>): Promise<ActionOutcome> => {
  const once = onceOf(scope, index, action);
  const skipped = await skippedOnce(deps, scope, index, 'createRecord', once);
  if (skipped) return skipped;
  try {
    const module = await getModule(deps, action.module);
    const link = module?.fields.find((f) => f.name === action.customerField);
    if (!module || link?.lookupModule !== scope.customer.module) {
      const outcome: ActionOutcome = { index, type: 'createRecord', status: 'unresolved', detail: `${action.module}.${action.customerField} does not point at the customer's ${scope.customer.module} record` };
      await recordOutcome(deps, scope.sourceEventId, outcome);
      return outcome;
    }
    const rendered: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(action.fields)) {
      const text = typeof value === 'string' ? renderTemplate(value, scope.customer.fields, { singleLine: true }).trim().replace(/\s+[—-]$/, '') : value;
      if (text !== '') rendered[name] = text;
    }
    rendered[action.customerField] = scope.customer.id;
    const { values, errors } = validateFieldValues(module, rendered, 'create', deps.defaultPhoneRegion);
    if (errors.length > 0) throw new Invalid('The journey could not create the record', errors);
    const id = deps.newId();
    const outcome = done(index, 'createRecord', `${action.module}/${id}`);
    const marks = actionMarks(outcomeTransactItem(deps, scope.sourceEventId, outcome), { once: once && onceTransactItem(deps, once, `${action.module}/${id}`) });
    await createRecord(deps, module, { id, ownerId: scope.customer.ownerId, fields: values as FieldValues }, scope.ctx, marks.items, { extraFailure: marks.failure });
    return outcome;
  } catch (error) {
    // Another entry into this state created it first (the once marker's condition failed).
    return (error instanceof CreatedOnceAlready ? await skippedOnce(deps, scope, index, 'createRecord', once) : undefined) ?? refusedOnce(deps, scope.sourceEventId, index, 'createRecord', error);
  }
};

/**
 * escalate: the record that triggered the move (e.g. the High-priority case) goes to its owner's
 * manager with `setFields` (status Escalated), and the customer is told by email (at most once).
 */
const runEscalate = async (deps: AppDeps, scope: Scope, index: number, action: Extract<JourneyAction, { type: 'escalate' }>): Promise<ActionOutcome> => {
  const trigger = scope.data.trigger;
  const record = trigger ? await getRecord(deps, trigger.module, trigger.id) : undefined;
  if (!trigger || !record) {
    const outcome: ActionOutcome = { index, type: 'escalate', status: 'unresolved', detail: 'No triggering record to escalate' };
    await recordOutcome(deps, scope.sourceEventId, outcome);
    return outcome;
  }
  const module = (await getModule(deps, trigger.module))!;
  const managerId = (await getUser(deps, record.ownerId))?.managerId;
  const fields = Object.fromEntries(Object.entries(action.setFields).filter(([f]) => module.fields.some((x) => x.name === f)));
  const detail = `${trigger.module}/${trigger.id}${managerId ? ` to ${managerId}` : ' (the owner has no manager)'}`;
  // An erased customer is never contacted again.
  if (action.emailCustomer && !scope.customer.erasure && typeof scope.customer.fields.email === 'string' && scope.customer.fields.email) {
    await sendEmailOnce(deps, {
      eventId: `${scope.sourceEventId}.escalation`,
      to: scope.customer.fields.email,
      subject: renderTemplate(action.emailCustomer.subject, scope.customer.fields, { singleLine: true }),
      text: renderTemplate(action.emailCustomer.text, scope.customer.fields),
      customer: { name: customerNameOf(scope.customer.fields) },
      resendUnconfirmed: scope.resendUnconfirmed,
    });
  }
  try {
    const outcome = done(index, 'escalate', detail);
    const marks = actionMarks(outcomeTransactItem(deps, scope.sourceEventId, outcome));
    const { changes } = await updateRecord(deps, module, record.id, { fields, ...(managerId ? { ownerId: managerId } : {}) }, scope.ctx, { extraItems: () => marks.items, extraFailure: marks.failure });
    if (changes.length === 0) await recordOutcome(deps, scope.sourceEventId, { ...outcome, detail: `${detail}: already escalated` });
    return outcome;
  } catch (error) {
    return refusedOnce(deps, scope.sourceEventId, index, 'escalate', error);
  }
};

/**
 * Runs the entry actions of the state an instance entered (on `journey.state-changed`).
 * 1. Load the journey version and the customer's current record (the lead, then its contact).
 * 2. Each action in order, idempotent on (event id, action index); an action that creates something
 *    (task, record, enrollment) runs once per (instance, state) unless it says `runs: everyTime`, so
 *    coming back to a state creates nothing twice. createTask/sendEmail/notify through
 *    the action library (runActions, on the customer's record); convertLead, createRecord and escalate
 *    through the records core and the conversion use case, each with its outcome mark in its transaction;
 *    enroll/unenroll through the cadences' enrollment functions, their marks in the same transaction.
 * A transient failure throws: the event is redelivered and resumes at the first action not done.
 */
export const runEntryActions = async (deps: AppDeps, sourceEventId: string, data: JourneyStateChanged, depth: number, correlationId: string, options: { resendUnconfirmed?: boolean } = {}): Promise<ActionOutcome[]> => {
  const def = await journeyVersion(deps, data.journeyId, data.journeyVersion);
  const state = def.states.find((s) => s.id === data.to);
  if (!state || state.onEnter.length === 0) return [];
  const customer = await getRecord(deps, data.customer.module, data.customer.id);
  if (!customer) return [];
  const via = { kind: 'journey', id: data.journeyId, name: def.name };
  const ctx: ChangeContext = { actor: 'system', via: 'journey', correlationId, causationId: sourceEventId, automation: via, depth };
  const resendUnconfirmed = options.resendUnconfirmed ?? false;
  const scope: Scope = { sourceEventId, data, customer, ctx, resendUnconfirmed, onceScope: `journey/${data.instanceId}/${data.to}` };
  const recorded = await recordedOutcomes(deps, sourceEventId);
  const outcomes: ActionOutcome[] = [];
  for (const [index, action] of state.onEnter.entries()) {
    const seen = recorded.get(index);
    if (seen) {
      outcomes.push(seen);
      continue;
    }
    const library = asLibraryAction(action);
    if (library) {
      const [outcome] = await runActions(deps, { sourceEventId: `${sourceEventId}.${index}`, onceScope: `${scope.onceScope}/${index}`, via, depth, actorId: 'system', record: customer, actions: [library], correlationId, resendUnconfirmed });
      await recordOutcome(deps, sourceEventId, { ...outcome!, index });
      outcomes.push({ ...outcome!, index });
      continue;
    }
    if (action.type === 'convertLead') outcomes.push(await runConvertLead(deps, scope, index));
    else if (action.type === 'createRecord') outcomes.push(await runCreateRecord(deps, scope, index, action));
    else if (action.type === 'escalate') outcomes.push(await runEscalate(deps, scope, index, action));
    else if (action.type === 'enrollInCadence' || action.type === 'unenrollFromCadence') {
      const once = action.type === 'enrollInCadence' ? onceOf(scope, index, action) : undefined;
      outcomes.push((await skippedOnce(deps, scope, index, action.type, once)) ?? (await runCadenceAction(deps, sourceEventId, action, index, customer, ctx, once)));
    }
  }
  return outcomes;
};
