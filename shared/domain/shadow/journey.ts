import { goalOf, type JourneyAction, type JourneyDefinition, type JourneyState } from '../journey/definition.js';
import { dropOffRules, stateOutcomes, type RouteCount } from '../journey/drop-off.js';
import { addCustomerRecord, MAX_JOURNEY_DEPTH, onEvent, onTimer, startInstance, type JourneyEvent, type JourneyInstance, type JourneyTimer, type Moved } from '../journey/engine.js';
import { pathKey, recompute } from '../journey/report.js';
import { reportView } from '../journey/report-view.js';
import type { ShadowChange } from './change.js';
import { count, type Outcome, type Sample, type Tally } from './tally.js';

/** An instance of the replay, named after the record it started from. */
interface ShadowInstance extends JourneyInstance {
  id: string;
  startedFrom: { module: string; id: string };
}
export interface JourneyReplayState {
  instances: Record<string, ShadowInstance>;
  /** Customer record id → instance id (the lead, then its contact). */
  byCustomer: Record<string, string>;
  timers: Array<JourneyTimer & { instanceId: string }>;
  /** What the journey under trial recorded live (`journey.state-changed`), counted like the replay's moves, for the cross-check. */
  recorded: Record<string, number>;
}
export const emptyJourneyState = (): JourneyReplayState => ({ instances: {}, byCustomer: {}, timers: [], recorded: {} });

const EMAIL_EVENTS: Record<string, 'sent' | 'opened' | 'clicked' | 'replied'> = { 'email.sent': 'sent', 'email.opened': 'opened', 'email.clicked': 'clicked', 'email.replied': 'replied' };

/** The live router's event for a recorded change (functions/events/journey-router.ts journeyInputOf). */
const journeyEventOf = (change: ShadowChange): JourneyEvent | undefined => {
  if (change.event === 'record.created') return { kind: 'record.created', module: change.module, fields: change.fields, at: change.at };
  if (change.event === 'record.updated') return { kind: 'record.updated', module: change.module, fields: change.fields, changes: change.changes, at: change.at };
  if (change.event === 'lead.converted') return { kind: 'lead.converted', at: change.at };
  const email = EMAIL_EVENTS[change.event];
  return email ? { kind: 'email', event: email, at: change.at } : undefined;
};

const stateName = (def: JourneyDefinition, id: string) => def.states.find((s) => s.id === id)?.name ?? id;

/** What entering a state does, as outcomes (the definition's own text). */
export const journeyActionOutcome = (action: JourneyAction): Outcome => {
  switch (action.type) {
    case 'sendEmail':
      return { kind: 'email', label: action.subject };
    case 'createTask':
      return { kind: 'task', label: action.subject };
    case 'notify':
      return { kind: 'notification', label: action.message.length > 80 ? `${action.message.slice(0, 79)}…` : action.message };
    case 'escalate':
      return { kind: 'fieldUpdate', label: ['ownerId', ...Object.keys(action.setFields)].join(', ') };
    case 'convertLead':
      return { kind: 'recordCreated', label: 'Contacts (lead conversion)' };
    case 'createRecord':
      return { kind: 'recordCreated', label: action.module };
    case 'enrollInCadence':
      return { kind: 'enrollment', label: action.cadence };
    case 'unenrollFromCadence':
      return { kind: 'enrollment', label: `Leave ${action.cadence}` };
  }
};

const emailsCustomer = (state: JourneyState) => state.onEnter.some((a) => (a.type === 'sendEmail' && a.to === 'customer') || (a.type === 'escalate' && a.emailCustomer));

/**
 * An instance entered a state: the move and each entry action are counted for the customer it started
 * from; a state only a person can move it out of counts as "depends on a person", and a state that emails
 * the customer and waits for their reaction as "depends on the customer" (the reply to an email the
 * past never saw cannot be replayed).
 */
const entered = (def: JourneyDefinition, tally: Tally, instance: ShadowInstance, moved: Moved, from: string | undefined, sourceEvent: string): void => {
  const at = instance.visits.at(-1)!.enteredAt;
  const reason = instance.visits.at(-1)!.reason;
  const move: Outcome = from === undefined ? { kind: 'journeyEntered', label: stateName(def, moved.entered.id) } : { kind: 'journeyMove', label: `${stateName(def, from)} → ${stateName(def, moved.entered.id)}` };
  const actions = moved.entered.onEnter.map(journeyActionOutcome);
  const sample: Sample = { sourceEvent, record: instance.startedFrom, outcome: 'ran', reason, actions: actions.map((o, index) => ({ index, type: moved.entered.onEnter[index]!.type, status: 'done', detail: o.label })), at };
  count(tally, move, sample);
  for (const outcome of actions) count(tally, outcome, sample);
  const leaving = def.transitions.filter((t) => (t.from === '*' ? t.to !== moved.entered.id : t.from.includes(moved.entered.id)));
  // Waiting for a person: the only ways on are by hand (a state a person may leave early, but that moves on by itself, is replayed as recorded).
  if (leaving.length > 0 && leaving.every((t) => t.trigger.type === 'manual')) tally.limits.dependsOnPerson += 1;
  if (emailsCustomer(moved.entered) && leaving.some((t) => t.trigger.type === 'email' || t.trigger.type === 'emailNotReplied')) tally.limits.dependsOnCustomer += 1;
};

const apply = (def: JourneyDefinition, tally: Tally, state: JourneyReplayState, instance: ShadowInstance, result: ReturnType<typeof onEvent>, sourceEvent: string): void => {
  if (!result) return;
  const next: ShadowInstance = { ...instance, ...result.instance };
  state.instances[next.id] = next;
  state.timers.push(...result.timers.map((t) => ({ ...t, instanceId: next.id })));
  if ('entered' in result) entered(def, tally, next, result, instance.state, sourceEvent);
};

/** Deadlines and "no reply within" waits due by `until` fire first, in time order, through the engine's onTimer (a stale one ends quietly). */
export const fireJourneyTimers = (def: JourneyDefinition, tally: Tally, state: JourneyReplayState, until: string): void => {
  for (;;) {
    const due = state.timers.filter((t) => t.wakeAt <= until).sort((a, b) => a.wakeAt.localeCompare(b.wakeAt) || a.instanceId.localeCompare(b.instanceId));
    if (due.length === 0) return;
    const timer = due[0]!;
    state.timers.splice(state.timers.indexOf(timer), 1);
    const instance = state.instances[timer.instanceId];
    if (!instance) continue;
    const moved = onTimer(def, instance, timer, timer.wakeAt);
    if (moved) apply(def, tally, state, instance, moved, 'timer');
  }
};

/**
 * One recorded change through the journey, as the live router (functions/journeys/run-instances.ts) takes
 * it: the instances following the customer records the change concerns move by onEvent (a conversion first
 * adds the contact); a creation in the first module with no instance starts one by startInstance. Changes
 * past the depth limit are not followed. A move recorded live by the journey under trial is counted aside
 * for the cross-check.
 */
export const replayJourneyChange = (def: JourneyDefinition, journeyId: string, tally: Tally, state: JourneyReplayState, change: ShadowChange): void => {
  if (change.event === 'journey.state-changed') {
    const data = change.data as { journeyId?: string; from?: string; to?: string } | undefined;
    if (data?.journeyId === journeyId && data.to) {
      const key = data.from ? `journeyMove ${stateName(def, data.from)} → ${stateName(def, data.to)}` : `journeyEntered ${stateName(def, data.to)}`;
      state.recorded[key] = (state.recorded[key] ?? 0) + 1;
    }
    return;
  }
  if (change.depth > MAX_JOURNEY_DEPTH) return;
  const event = journeyEventOf(change);
  if (!event) return;
  const candidates = [change.recordId, ...(change.customers ?? [])];
  const instanceIds = [...new Set(candidates.map((c) => state.byCustomer[c]).filter((id): id is string => id !== undefined))];
  for (const id of instanceIds) {
    let instance = state.instances[id]!;
    if (change.convertedTo && !instance.customerIds.includes(change.convertedTo)) {
      instance = { ...instance, ...addCustomerRecord(instance, change.convertedTo) };
      state.instances[id] = instance;
      state.byCustomer[change.convertedTo] = id;
    }
    apply(def, tally, state, instance, onEvent(def, instance, event), change.event);
  }
  if (instanceIds.length > 0 || event.kind !== 'record.created' || change.module !== def.modules[0]) return;
  const started = startInstance(def, journeyId, 0, change.recordId, change.fields, change.at);
  if (!started) return;
  const instance: ShadowInstance = { ...started.instance, id: change.recordId, startedFrom: { module: change.module, id: change.recordId } };
  state.instances[instance.id] = instance;
  state.byCustomer[change.recordId] = instance.id;
  state.timers.push(...started.timers.map((t) => ({ ...t, instanceId: instance.id })));
  entered(def, tally, instance, started, undefined, change.event);
};

/** The replay's report and paths, in the live schemas (GET /v1/journeys/{id}/report and /paths), as of the window's end. */
export const journeyFigures = (def: JourneyDefinition, journeyId: string, state: JourneyReplayState, asOf: string) => {
  const instances = Object.values(state.instances);
  const stateIds = def.states.map((s) => s.id);
  const goal = goalOf(def);
  const { report, paths } = recompute(instances.map((i) => i.visits), stateIds, goal);
  const routes = new Map<string, RouteCount>();
  for (const i of instances) {
    const route = { path: pathKey(i.visits), startDay: i.visits[0]!.enteredAt.slice(0, 10) };
    const key = `${route.path}|${route.startDay}`;
    routes.set(key, { ...route, count: (routes.get(key)?.count ?? 0) + 1 });
  }
  const outcomes = stateOutcomes([...routes.values()], stateIds, dropOffRules(def, new Date(asOf), goal));
  return { report: reportView(journeyId, def, report, outcomes), paths: { journeyId, ...paths, paths: paths.paths.slice(0, 20), dropOff: outcomes } };
};

/** The cross-check: moves the published version's replay counts against those recorded live, by move. */
export const journeyMismatches = (state: JourneyReplayState, replayed: Tally): { checked: number; mismatches: number } => {
  const replayedMoves: Record<string, number> = {};
  for (const [key, n] of Object.entries(replayed.counts)) {
    const [kind, label] = key.split('\u001f') as [string, string];
    if (kind === 'journeyMove' || kind === 'journeyEntered') replayedMoves[`${kind} ${label}`] = n;
  }
  let checked = 0;
  let mismatches = 0;
  for (const key of new Set([...Object.keys(state.recorded), ...Object.keys(replayedMoves)])) {
    const a = state.recorded[key] ?? 0;
    const b = replayedMoves[key] ?? 0;
    checked += Math.max(a, b);
    mismatches += Math.abs(a - b);
  }
  return { checked, mismatches };
};
