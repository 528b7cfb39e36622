import { ALWAYS, criteriaHold } from '../criteria/index.js';
import { automaticDue, criteriaUnmet, fireAutomatic, transitionOpen, type BlueprintDefinition, type Transition, type TransitionResult } from '../blueprint/index.js';
import type { FieldValues } from '../records/field-values.js';
import type { BlueprintBinding } from '../records/write-guards.js';
import type { ShadowChange } from './change.js';
import { count, recordKey, type Outcome, type Sample, type Tally } from './tally.js';
import { actionOutcome } from './workflow-rule.js';

/** A record the blueprint governs in the replay: its fields as last seen and where it stands (the live binding). */
interface BoundRecord {
  module: string;
  recordId: string;
  fields: FieldValues;
  binding: BlueprintBinding;
}

/** An automatic transition's timer on the simulated clock (the live `blueprint-auto` timer: key and stay token). */
export interface AutoWake {
  record: string;
  transitionId: string;
  wakeAt: string;
  token: string;
}

/** A blueprint under trial: its id (draft: `draft`) and version stamp the bindings, as live. */
export interface BlueprintSubject {
  kind: 'blueprint';
  blueprintId: string;
  version: number;
  definition: BlueprintDefinition;
}

export interface BlueprintReplayState {
  records: Record<string, BoundRecord>;
  wakes: AutoWake[];
  /** Stays started so far: each new stay's token is unique, as the live `newId()`. */
  stays: number;
  /** Transitions recorded live for the blueprint under trial (record → transition ids), for the cross-check. */
  recorded: Record<string, string[]>;
  /** Transitions this replay made (record → transition ids). */
  made: Record<string, string[]>;
}
export const emptyBlueprintState = (): BlueprintReplayState => ({ records: {}, wakes: [], stays: 0, recorded: {}, made: {} });

const newStay = (state: BlueprintReplayState, binding: Pick<BlueprintBinding, 'blueprintId' | 'version'>, at: string): BlueprintBinding => {
  state.stays += 1;
  return { blueprintId: binding.blueprintId, version: binding.version, enteredAt: at, parallelDone: [], token: `stay-${state.stays}` };
};

/** A stay starts: one timer per automatic transition out of the state, as the live write plans them (stayTimerItems). */
const planWakes = (def: BlueprintDefinition, state: BlueprintReplayState, key: string, bound: BoundRecord, at: string): void => {
  state.wakes = state.wakes.filter((w) => w.record !== key);
  for (const due of automaticDue(def, bound.fields, bound.binding, new Date(at))) {
    if (!bound.binding.parallelDone.includes(due.transition.id)) state.wakes.push({ record: key, transitionId: due.transition.id, wakeAt: due.wakeAt, token: bound.binding.token });
  }
};

const moveLabel = (t: Pick<Transition, 'name'>, from: string, to: string): string => `${t.name}: ${from} → ${to}`;

/** A transition the draft makes (a person's, as recorded, or an automatic one): counted, with its after-actions. */
const countTransition = (tally: Tally, state: BlueprintReplayState, bound: BoundRecord, t: Transition, from: string, to: string, sourceEvent: string, at: string, reason: string): void => {
  (state.made[recordKey(bound.module, bound.recordId)] ??= []).push(t.id);
  const outcomes: Outcome[] = t.after.map(actionOutcome);
  const sample: Sample = {
    sourceEvent,
    record: { module: bound.module, id: bound.recordId },
    outcome: 'ran',
    reason,
    actions: outcomes.map((o, index) => ({ index, type: t.after[index]!.type, status: 'done', detail: o.label })),
    at,
  };
  count(tally, { kind: 'transitionOffered', label: moveLabel(t, from, to) }, sample);
  for (const outcome of outcomes) count(tally, outcome, sample);
};

/** Automatic transitions due by `until` fire in time order, each through the live engine (fireAutomatic: same stay, criteria, due). */
export const fireBlueprintWakes = ({ definition: def }: BlueprintSubject, tally: Tally, state: BlueprintReplayState, until: string): void => {
  for (;;) {
    const next = state.wakes.filter((w) => w.wakeAt <= until).sort((a, b) => a.wakeAt.localeCompare(b.wakeAt) || a.record.localeCompare(b.record) || a.transitionId.localeCompare(b.transitionId))[0];
    if (!next) return;
    state.wakes = state.wakes.filter((w) => w !== next);
    const bound = state.records[next.record];
    if (!bound) continue;
    const fired = fireAutomatic({ def, fields: bound.fields, binding: bound.binding, transitionId: next.transitionId, token: next.token, now: next.wakeAt, newToken: `stay-${state.stays + 1}` });
    if (!fired.ok) continue;
    const result: TransitionResult = fired.value;
    const t = result.transition;
    countTransition(tally, state, bound, t, result.from, result.to, 'blueprint.automatic', next.wakeAt, `Automatic after ${t.afterHours} hours in ${result.from}${t.escalate ? ' (escalation: stays)' : ''}`);
    if (!result.moved) {
      bound.binding = result.binding;
      continue;
    }
    bound.fields = { ...bound.fields, ...result.patch } as FieldValues;
    bound.binding = newStay(state, bound.binding, next.wakeAt);
    planWakes(def, state, next.record, bound, next.wakeAt);
  }
};

/**
 * A recorded move of the governed field, judged by the draft: a person's transition open from where the
 * record stands to where it went (transitionOpen: from this state, not done, criteria on the record before
 * the move) is offered; else the move is blocked, with the reason the API would give. Whether the person
 * who made it may perform it under the draft is not judged (the past names who moved it, not who could).
 */
const judgeMove = (def: BlueprintDefinition, tally: Tally, state: BlueprintReplayState, bound: BoundRecord, to: string, change: ShadowChange): boolean => {
  const from = String(bound.fields[def.field] ?? '');
  const at = new Date(change.at);
  const towards = def.transitions.filter((t) => t.kind !== 'automatic' && t.to === to);
  const open = towards.find((t) => transitionOpen(t, from, bound.binding, bound.fields, at));
  if (open) {
    countTransition(tally, state, bound, open, from, to, change.event, change.at, 'Recorded: a person made this move; the draft offers it');
    return true;
  }
  const unmet = towards.find((t) => transitionOpen({ ...t, before: { ...t.before, criteria: ALWAYS } }, from, bound.binding, bound.fields, at));
  const reason = unmet ? criteriaUnmet(unmet) : `No transition of "${def.name}" from ${from} to ${to}`;
  count(tally, { kind: 'transitionBlocked', label: `${from} → ${to}` }, { sourceEvent: change.event, record: { module: bound.module, id: bound.recordId }, outcome: 'refused', reason, actions: [], at: change.at });
  return false;
};

/**
 * One recorded change through the draft blueprint, as the records core takes a write of its module:
 * a record meeting the entry criteria enters (create: in the initial state; update: in its state if it is
 * one, else the initial one) and its stay's automatic transitions get timers; a recorded move of the
 * governed field is judged against the draft's transitions: offered, the record moves (a new stay);
 * blocked, it stays where the draft holds it, as the live API's refusal would leave it. A transition recorded live for this blueprint is noted for the cross-check.
 */
export const replayBlueprintChange = (subject: BlueprintSubject, tally: Tally, state: BlueprintReplayState, change: ShadowChange): void => {
  const { definition: def, blueprintId } = subject;
  if (change.event === 'blueprint.transitioned') {
    const data = change.data as { blueprintId?: string; transitionId?: string } | undefined;
    if (data?.blueprintId === blueprintId && data.transitionId) (state.recorded[recordKey(change.module, change.recordId)] ??= []).push(data.transitionId);
    return;
  }
  if (change.module !== def.module) return;
  const key = recordKey(change.module, change.recordId);
  if (change.event === 'record.deleted') {
    delete state.records[key];
    state.wakes = state.wakes.filter((w) => w.record !== key);
    return;
  }
  if (change.event !== 'record.created' && change.event !== 'record.updated') return;
  const fields = change.fields as FieldValues;
  const bound = state.records[key] ?? enter(subject, tally, state, change);
  if (!bound) return;
  const to = fields[def.field];
  const moves = typeof to === 'string' && to !== bound.fields[def.field] && (change.event === 'record.created' || change.changes.some((c) => c.field === def.field));
  if (!moves) {
    // Where the draft stands may differ from the recorded state (an automatic move of its own): it keeps its own.
    bound.fields = { ...fields, [def.field]: bound.fields[def.field] } as FieldValues;
    return;
  }
  const offered = judgeMove(def, tally, state, bound, to, change);
  // Offered: the record goes where it was recorded going (a new stay). Blocked: it stays where the draft holds it, as the live API's refusal leaves it.
  bound.fields = offered ? fields : ({ ...fields, [def.field]: bound.fields[def.field] } as FieldValues);
  if (!offered) return;
  bound.binding = newStay(state, bound.binding, change.at);
  planWakes(def, state, key, bound, change.at);
};

/** A record meeting the entry criteria enters (create: in the initial state; update: in its state if it is one, else the initial one), as the write guards decide. */
const enter = ({ definition: def, blueprintId, version }: BlueprintSubject, tally: Tally, state: BlueprintReplayState, change: ShadowChange): BoundRecord | undefined => {
  const fields = change.fields as FieldValues;
  if (!criteriaHold(def.entryCriteria, fields, new Date(change.at))) return undefined;
  const given = fields[def.field];
  const keeps = change.event === 'record.updated' && typeof given === 'string' && def.states.includes(given);
  const key = recordKey(change.module, change.recordId);
  const entered: BoundRecord = { module: change.module, recordId: change.recordId, fields: { ...fields, [def.field]: keeps ? given : def.initialState }, binding: newStay(state, { blueprintId, version }, change.at) };
  state.records[key] = entered;
  const sample: Sample = { sourceEvent: change.event, record: { module: change.module, id: change.recordId }, outcome: 'ran', reason: 'The record meets the entry criteria', actions: [], at: change.at };
  count(tally, { kind: 'enrollment', label: `${def.name}: enters in ${String(entered.fields[def.field])}` }, sample);
  planWakes(def, state, key, entered, change.at);
  return entered;
};

/** The cross-check against the blueprint.transitioned entries recorded live: records whose transitions differ. */
export const blueprintMismatches = (state: BlueprintReplayState): { checked: number; mismatches: number } => {
  const keys = new Set([...Object.keys(state.recorded), ...Object.keys(state.made)]);
  let mismatches = 0;
  const sorted = (ids: string[] | undefined) => [...(ids ?? [])].sort().join(',');
  for (const key of keys) if (sorted(state.recorded[key]) !== sorted(state.made[key])) mismatches += 1;
  return { checked: keys.size, mismatches };
};
