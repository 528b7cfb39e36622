import { criteriaHold, validateCriteria, type Criteria } from '../criteria/index.js';
import { fieldValueSchema } from '../records/field-values.js';
import type { ModuleMetadata } from '../records/module-definition.js';
import { durationMs, goalOf, type JourneyDefinition, type JourneyState, type JourneyTransition } from './definition.js';
import type { StateVisit } from './report.js';
import type { FieldError } from '../errors.js';

/** Automation writes that led here past this depth are not followed (rules and journeys that feed each other stop). */
export const MAX_JOURNEY_DEPTH = 8;

/** A visit with why the instance entered the state (shown in the record's journeys). */
export interface JourneyVisit extends StateVisit {
  reason: string;
}

/** One customer's way through one journey. */
export interface JourneyInstance {
  journeyId: string;
  journeyVersion: number;
  /** The customer's records so far (the lead, then its contact): events on any of them move the instance. */
  customerIds: string[];
  state: string;
  visits: JourneyVisit[];
  /** When the journey last emailed the customer, and when they last replied (for "not replied within"). */
  lastEmailAt?: string;
  lastReplyAt?: string;
  /** Bumped on every move: a timer set for an older version is stale. */
  version: number;
}

/** What happened, as the journey engine sees it (the edge builds it from bus events). */
export type JourneyEvent =
  | { kind: 'record.created'; module: string; fields: Record<string, unknown>; at: string }
  | { kind: 'record.updated'; module: string; fields: Record<string, unknown>; changes: Array<{ field: string; old: unknown; new: unknown }>; at: string }
  | { kind: 'lead.converted'; at: string }
  | { kind: 'email'; event: 'sent' | 'opened' | 'clicked' | 'replied'; at: string };

/** A wait to schedule on the shared timer: wake at `wakeAt` to try `transitionId` if the instance is still at `version`. */
export interface JourneyTimer {
  transitionId: string;
  wakeAt: string;
  version: number;
}

export interface Moved {
  instance: JourneyInstance;
  entered: JourneyState;
  transition?: JourneyTransition;
  timers: JourneyTimer[];
}


const leaves = (t: JourneyTransition, state: string) => (t.from === '*' ? t.to !== state : t.from.includes(state));

/** Does this event fire this transition (from the instance's current state)? */
const fires = (t: JourneyTransition, event: JourneyEvent): boolean => {
  const trigger = t.trigger;
  switch (trigger.type) {
    case 'recordCreated':
      return event.kind === 'record.created' && event.module === trigger.module && criteriaHold(trigger.where, event.fields, new Date(event.at));
    case 'fieldChanged':
      return (
        event.kind === 'record.updated' &&
        event.module === trigger.module &&
        event.changes.some((c) => c.field === trigger.field && (trigger.to === undefined || c.new === trigger.to)) &&
        criteriaHold(trigger.where, event.fields, new Date(event.at))
      );
    case 'leadConverted':
      return event.kind === 'lead.converted';
    case 'dealStageChanged':
      return event.kind === 'record.updated' && event.module === 'Deals' && event.changes.some((c) => c.field === 'stage' && (trigger.to === undefined || c.new === trigger.to));
    case 'email':
      return event.kind === 'email' && event.event === trigger.event;
    case 'emailNotReplied':
    case 'timeInState':
    case 'manual':
      return false;
  }
};

/** The waits to set on entering `state`: each deadline and each "not replied within" leaving it. */
export const timersOnEntry = (def: JourneyDefinition, instance: JourneyInstance): JourneyTimer[] => {
  const enteredAt = Date.parse(instance.visits.at(-1)!.enteredAt);
  return def.transitions.flatMap((t) => {
    if (!leaves(t, instance.state)) return [];
    if (t.trigger.type === 'timeInState') return [{ transitionId: t.id, wakeAt: new Date(enteredAt + durationMs(t.trigger.after)).toISOString(), version: instance.version }];
    if (t.trigger.type === 'emailNotReplied' && instance.lastEmailAt) {
      return [{ transitionId: t.id, wakeAt: new Date(Math.max(enteredAt, Date.parse(instance.lastEmailAt)) + durationMs(t.trigger.within)).toISOString(), version: instance.version }];
    }
    return [];
  });
};

const stateOf = (def: JourneyDefinition, id: string): JourneyState => {
  const state = def.states.find((s) => s.id === id);
  if (!state) throw new Error(`Journey state ${id} is missing from a validated definition`);
  return state;
};

const moveTo = (def: JourneyDefinition, instance: JourneyInstance, to: string, at: string, reason: string, transition?: JourneyTransition): Moved => {
  const visits = [...instance.visits.slice(0, -1), { ...instance.visits.at(-1)!, leftAt: at }, { state: to, enteredAt: at, reason }];
  const next: JourneyInstance = { ...instance, state: to, visits, version: instance.version + 1 };
  return { instance: next, entered: stateOf(def, to), ...(transition ? { transition } : {}), timers: timersOnEntry(def, next) };
};

/** A new instance in the journey's initial state, for a customer record that matches the entry. */
export const startInstance = (def: JourneyDefinition, journeyId: string, journeyVersion: number, customerId: string, fields: Record<string, unknown>, at: string): Moved | undefined => {
  if (!criteriaHold(def.entry.where, fields, new Date(at))) return undefined;
  const instance: JourneyInstance = { journeyId, journeyVersion, customerIds: [customerId], state: def.initial, visits: [{ state: def.initial, enteredAt: at, reason: `${def.modules[0]} created` }], version: 1 };
  return { instance, entered: stateOf(def, def.initial), timers: timersOnEntry(def, instance) };
};

const describe = (t: JourneyTransition): string => {
  const trigger = t.trigger;
  switch (trigger.type) {
    case 'recordCreated':
      return `${trigger.module} created`;
    case 'fieldChanged':
      return `${trigger.module}.${trigger.field}${trigger.to !== undefined ? ` became ${String(trigger.to)}` : ' changed'}`;
    case 'leadConverted':
      return 'Lead converted';
    case 'dealStageChanged':
      return `Deal stage${trigger.to ? ` became ${trigger.to}` : ' changed'}`;
    case 'email':
      return `Email ${trigger.event}`;
    case 'emailNotReplied':
      return `No reply within ${trigger.within.amount} ${trigger.within.unit}`;
    case 'timeInState':
      return `${trigger.after.amount} ${trigger.after.unit} in state`;
    case 'manual':
      return 'Moved by hand';
  }
};

/**
 * An event on one of the customer's records: the email bookkeeping is updated, and the first
 * transition (in definition order) that leaves the current state and fires on it moves the instance.
 * `undefined` when nothing changes.
 */
export const onEvent = (def: JourneyDefinition, instance: JourneyInstance, event: JourneyEvent): Moved | { instance: JourneyInstance; timers: JourneyTimer[] } | undefined => {
  let current = instance;
  if (event.kind === 'email' && (event.event === 'sent' || event.event === 'replied')) {
    current = { ...instance, ...(event.event === 'sent' ? { lastEmailAt: event.at } : { lastReplyAt: event.at }) };
  }
  const transition = def.transitions.find((t) => leaves(t, current.state) && fires(t, event));
  if (transition) return moveTo(def, current, transition.to, event.at, describe(transition), transition);
  if (current === instance) return undefined;
  // An email sent arms "not replied within" of the current state.
  const timers = event.kind === 'email' && event.event === 'sent' ? timersOnEntry(def, current).filter((t) => def.transitions.find((x) => x.id === t.transitionId)?.trigger.type === 'emailNotReplied') : [];
  return { instance: current, timers };
};

/**
 * A timer woke: it moves the instance only if nothing moved it since (same version), the transition
 * still leaves the current state, and (for "not replied") no reply came after the last email.
 */
export const onTimer = (def: JourneyDefinition, instance: JourneyInstance, timer: { transitionId: string; version: number }, at: string): Moved | undefined => {
  if (instance.version !== timer.version) return undefined;
  const transition = def.transitions.find((t) => t.id === timer.transitionId);
  if (!transition || !leaves(transition, instance.state)) return undefined;
  if (transition.trigger.type === 'emailNotReplied') {
    if (!instance.lastEmailAt || (instance.lastReplyAt && instance.lastReplyAt >= instance.lastEmailAt)) return undefined;
    if (Date.parse(at) < Date.parse(instance.lastEmailAt) + durationMs(transition.trigger.within)) return undefined;
  } else if (transition.trigger.type !== 'timeInState') return undefined;
  return moveTo(def, instance, transition.to, at, describe(transition), transition);
};

export class UnknownState extends Error {}

/** A person moves the instance to another state (any state of the journey). */
export const moveByHand = (def: JourneyDefinition, instance: JourneyInstance, to: string, at: string, reason?: string): Moved => {
  if (!def.states.some((s) => s.id === to)) throw new UnknownState(`No state ${to} in this journey`);
  return moveTo(def, instance, to, at, reason ? `Moved by hand: ${reason}` : 'Moved by hand');
};

/** After conversion, the contact's events move the lead's instance too. */
export const addCustomerRecord = (instance: JourneyInstance, id: string): JourneyInstance =>
  instance.customerIds.includes(id) ? instance : { ...instance, customerIds: [...instance.customerIds, id] };

export type ModuleLookup = (name: string) => Pick<ModuleMetadata, 'name' | 'fields'> | undefined;

/**
 * Checks a journey at save, each fault with its path: unique ids, states and transitions that exist,
 * every state reachable from the initial one, modules spanned and existing, fields and values that
 * fit, and triggers and actions that make sense for the modules (conversion needs Leads, deal stages Deals).
 */
export const validateJourneyDefinition = (def: JourneyDefinition, modules: ModuleLookup, phoneRegion: string): FieldError[] => {
  const errors: FieldError[] = [];
  const stateIds = new Set<string>();
  def.states.forEach((s, i) => {
    if (stateIds.has(s.id)) errors.push({ path: `states.${i}.id`, message: `Duplicate state ${s.id}` });
    stateIds.add(s.id);
  });
  const transitionIds = new Set<string>();
  const spanned = new Set(def.modules);
  def.modules.forEach((m, i) => {
    if (!modules(m)) errors.push({ path: `modules.${i}`, message: `No module ${m}` });
  });
  const checkCriteria = (module: string, criteria: Criteria, path: string) => {
    const meta = modules(module);
    if (meta) errors.push(...validateCriteria(criteria, meta.fields, path, module));
  };
  const checkChangedField = (module: string, name: string, to: unknown, path: string) => {
    const field = modules(module)?.fields.find((f) => f.name === name);
    if (modules(module) && !field) errors.push({ path: `${path}.field`, message: `${module} has no field ${name}` });
    else if (field && to !== undefined && !fieldValueSchema(field, phoneRegion).safeParse(to).success) errors.push({ path: `${path}.to`, message: `Not a value of ${module}.${name}` });
  };
  const needModule = (module: string, path: string) => {
    if (!spanned.has(module)) errors.push({ path, message: `${module} is not among the journey's modules` });
  };
  if (!stateIds.has(def.initial)) errors.push({ path: 'initial', message: `No state ${def.initial}` });
  if (def.goal && !stateIds.has(def.goal)) errors.push({ path: 'goal', message: `No state ${def.goal}` });
  checkCriteria(def.modules[0]!, def.entry.where, 'entry.where');
  def.transitions.forEach((t, i) => {
    const path = `transitions.${i}`;
    if (transitionIds.has(t.id)) errors.push({ path: `${path}.id`, message: `Duplicate transition ${t.id}` });
    transitionIds.add(t.id);
    if (!stateIds.has(t.to)) errors.push({ path: `${path}.to`, message: `No state ${t.to}` });
    if (t.from !== '*') t.from.forEach((f, j) => !stateIds.has(f) && errors.push({ path: `${path}.from.${j}`, message: `No state ${f}` }));
    const trigger = t.trigger;
    if (trigger.type === 'recordCreated' || trigger.type === 'fieldChanged') {
      needModule(trigger.module, `${path}.trigger.module`);
      checkCriteria(trigger.module, trigger.where, `${path}.trigger.where`);
      if (trigger.type === 'fieldChanged') checkChangedField(trigger.module, trigger.field, trigger.to, `${path}.trigger`);
    }
    if (trigger.type === 'leadConverted') needModule('Leads', `${path}.trigger`);
    if (trigger.type === 'dealStageChanged') needModule('Deals', `${path}.trigger`);
  });
  def.states.forEach((s, i) =>
    s.onEnter.forEach((a, j) => {
      const path = `states.${i}.onEnter.${j}`;
      if (a.type === 'convertLead') needModule('Leads', path);
      if (a.type === 'createRecord') {
        needModule(a.module, `${path}.module`);
        const meta = modules(a.module);
        const link = meta?.fields.find((f) => f.name === a.customerField);
        if (meta && (!link || link.type !== 'lookup' || !['Leads', 'Contacts'].includes(link.lookupModule ?? ''))) errors.push({ path: `${path}.customerField`, message: `${a.module}.${a.customerField} is not a lookup to Leads or Contacts` });
        if (meta) Object.keys(a.fields).forEach((f) => !meta.fields.some((x) => x.name === f) && errors.push({ path: `${path}.fields.${f}`, message: `${a.module} has no field ${f}` }));
      }
      if (a.type === 'escalate') Object.keys(a.setFields).forEach((f) => ![...spanned].some((m) => modules(m)?.fields.some((x) => x.name === f)) && errors.push({ path: `${path}.setFields.${f}`, message: `No spanned module has a field ${f}` }));
    }),
  );
  if (errors.length > 0) return errors;
  // Every state reachable from the initial one (manual moves aside: a state only a person can reach is a smell, not an error, if a manual transition leads there).
  const reached = new Set([def.initial]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of def.transitions) {
      const from = t.from === '*' ? [...reached] : t.from.filter((f) => reached.has(f));
      if (from.length > 0 && !reached.has(t.to)) {
        reached.add(t.to);
        grew = true;
      }
    }
  }
  def.states.forEach((s, i) => !reached.has(s.id) && errors.push({ path: `states.${i}.id`, message: `State ${s.id} is unreachable from ${def.initial}` }));
  if (!reached.has(goalOf(def))) errors.push({ path: 'goal', message: 'The goal is unreachable' });
  return errors;
};
