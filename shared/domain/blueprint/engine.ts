import { criteriaHold } from '../criteria/index.js';
import { failure, success, type Outcome } from '../process/errors.js';
import { isParticipant, type PeopleContext, type ProcessActor } from '../process/participants.js';
import { validateFieldValues, type FieldPatch, type FieldValues } from '../records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../records/module-definition.js';
import type { BlueprintBinding } from '../records/write-guards.js';
import type { BlueprintDefinition, Transition, TransitionField } from './definition.js';
import type { FieldError } from '../errors.js';

/** What a caller sends to perform a transition. */
export interface TransitionInput {
  fields?: Record<string, unknown>;
  note?: string;
  /** The checklist items the caller ticked (by their text). */
  checklist?: string[];
}

export interface TransitionResult {
  transition: Transition;
  from: string;
  /** The state after this transition (the same state while a parallel group is incomplete or on escalation). */
  to: string;
  moved: boolean;
  /** The record fields to write: the transition's fields and, if it moved, the governed field. */
  patch: FieldPatch;
  binding: BlueprintBinding;
  note?: string;
  checklist: string[];
}

export const stateOf = (def: Pick<BlueprintDefinition, 'field'>, fields: Readonly<FieldValues>): string | undefined => {
  const v = fields[def.field];
  return typeof v === 'string' ? v : undefined;
};

/** Whether `t` leaves `state` (a common transition leaves any state but its target). */
const leaves = (t: Transition, state: string | undefined): boolean => (t.kind === 'common' ? state !== undefined && t.to !== state : t.from === state);

/** Whether a person's transition `t` is open now, whoever performs it: from this state, not yet done (parallel), criteria met. */
export const transitionOpen = (t: Transition, state: string | undefined, binding: BlueprintBinding, fields: Readonly<FieldValues>, now: Date): boolean =>
  t.kind !== 'automatic' && leaves(t, state) && !binding.parallelDone.includes(t.id) && criteriaHold(t.before.criteria, fields, now);

/** Why a transition whose criteria do not hold is refused (the API's 422, the shadow run's reason). */
export const criteriaUnmet = (t: Pick<Transition, 'name'>): string => `The record does not meet the criteria of "${t.name}"`;

/** Transitions a person may perform now: from this state, not yet done (parallel), theirs, criteria met. */
export const availableTransitions = (
  def: BlueprintDefinition,
  fields: Readonly<FieldValues>,
  binding: BlueprintBinding,
  actor: ProcessActor,
  people: PeopleContext,
  now: Date,
): Transition[] => {
  const state = stateOf(def, fields);
  return def.transitions.filter((t) => transitionOpen(t, state, binding, fields, now) && isParticipant(t.before.who, actor, people));
};

const bound = (value: number | string, limit: number | string, dir: 'min' | 'max'): boolean =>
  typeof value === typeof limit ? (dir === 'min' ? value >= limit : value <= limit) : true;

/** The checks of a transition's field beyond its type, against the record as it will be. */
const checkDuringField = (spec: TransitionField, def: FieldDefinition, value: unknown, after: Readonly<FieldValues>): string | undefined => {
  if (value === undefined || value === null || value === '') return spec.required ? 'Required by this transition' : undefined;
  const measured = typeof value === 'string' && ['text', 'textarea', 'email', 'phone'].includes(def.type) ? value.length : value;
  if (spec.min !== undefined && (typeof measured === 'number' || typeof measured === 'string') && !bound(measured, spec.min, 'min')) return `Must be at least ${spec.min}`;
  if (spec.max !== undefined && (typeof measured === 'number' || typeof measured === 'string') && !bound(measured, spec.max, 'max')) return `Must be at most ${spec.max}`;
  if (spec.after !== undefined) {
    const other = after[spec.after];
    if (other !== undefined && (typeof value === 'number' || typeof value === 'string') && typeof other === typeof value && !(value > other)) return `Must be after ${spec.after}`;
  }
  return undefined;
};

/** Validates the caller's input for `t`: known fields of the right type and rules, the note, the checklist. */
const validateDuring = (t: Transition, module: ModuleMetadata, record: Readonly<FieldValues>, input: TransitionInput, phoneRegion: string): Outcome<FieldPatch> => {
  const errors: FieldError[] = [];
  const sent = input.fields ?? {};
  const asked = new Map(t.during.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(sent)) if (!asked.has(name)) errors.push({ path: `fields.${name}`, message: 'This transition does not ask for this field' });
  const allowed = Object.fromEntries(Object.entries(sent).filter(([k]) => asked.has(k)));
  const typed = validateFieldValues(module, allowed, 'patch', phoneRegion);
  errors.push(...typed.errors);
  const typedPaths = new Set(typed.errors.map((e) => e.path));
  const after: FieldValues = { ...record };
  for (const [k, v] of Object.entries(typed.values)) {
    if (v === null) delete after[k];
    else after[k] = v;
  }
  for (const spec of t.during.fields) {
    if (typedPaths.has(`fields.${spec.name}`)) continue;
    const def = module.fields.find((f) => f.name === spec.name);
    if (!def) continue;
    // A required field already filled in on the record counts as given.
    const value = spec.name in typed.values ? typed.values[spec.name] : record[spec.name];
    const problem = checkDuringField(spec, def, value, after);
    if (problem) errors.push({ path: `fields.${spec.name}`, message: problem });
  }
  const note = input.note?.trim();
  if (t.during.note === 'required' && !note) errors.push({ path: 'note', message: 'This transition needs a note' });
  if (t.during.note === 'none' && note) errors.push({ path: 'note', message: 'This transition takes no note' });
  if (note && note.length > 2000) errors.push({ path: 'note', message: 'At most 2000 characters' });
  const ticked = new Set(input.checklist ?? []);
  t.during.checklist.forEach((item, i) => {
    if (!ticked.has(item)) errors.push({ path: `checklist.${i}`, message: `Not done: ${item}` });
  });
  for (const item of ticked) if (!t.during.checklist.includes(item)) errors.push({ path: 'checklist', message: `Not an item of this transition: ${item}` });
  if (errors.length > 0) return failure('rule', `The transition "${t.name}" needs more information`, errors);
  return success(typed.values);
};

/**
 * Performs transition `transitionId` on a record for `actor`.
 * Order of refusals: unknown (404), not from this state / already done (409), not theirs (403),
 * criteria unmet or during-input missing/invalid (422).
 */
export const performTransition = (args: {
  def: BlueprintDefinition;
  module: ModuleMetadata;
  fields: Readonly<FieldValues>;
  binding: BlueprintBinding;
  transitionId: string;
  input: TransitionInput;
  actor: ProcessActor;
  people: PeopleContext;
  now: string;
  newToken: string;
  phoneRegion: string;
}): Outcome<TransitionResult> => {
  const { def, fields, binding, transitionId, actor, people } = args;
  const t = def.transitions.find((x) => x.id === transitionId);
  if (!t) return failure('not-found', `No transition ${transitionId} in the blueprint "${def.name}"`);
  if (t.kind === 'automatic') return failure('forbidden', `"${t.name}" is automatic: it runs after ${t.afterHours} hours in ${t.from}`);
  const state = stateOf(def, fields);
  if (!leaves(t, state)) return failure('conflict', `The record is in ${state ?? 'no state'}, not where "${t.name}" starts`);
  if (binding.parallelDone.includes(t.id)) return failure('conflict', `"${t.name}" is already done for this state`);
  if (!isParticipant(t.before.who, actor, people)) return failure('forbidden', `You may not perform "${t.name}"`);
  if (!criteriaHold(t.before.criteria, fields, new Date(args.now))) return failure('rule', criteriaUnmet(t));
  const during = validateDuring(t, args.module, fields, args.input, args.phoneRegion);
  if (!during.ok) return during;
  return success(advance(def, t, state as string, binding, during.value, args.now, args.newToken, args.input));
};

const advance = (def: BlueprintDefinition, t: Transition, from: string, binding: BlueprintBinding, patch: FieldPatch, now: string, newToken: string, input: TransitionInput = {}): TransitionResult => {
  const done = t.kind === 'parallel' ? [...binding.parallelDone, t.id] : [];
  const group = t.kind === 'parallel' ? def.transitions.filter((o) => o.kind === 'parallel' && o.from === t.from && o.to === t.to) : [];
  const moved = t.to !== undefined && (t.kind !== 'parallel' || group.every((o) => done.includes(o.id)));
  const to = moved ? (t.to as string) : from;
  const note = input.note?.trim();
  return {
    transition: t,
    from,
    to,
    moved,
    patch: moved ? { ...patch, [def.field]: to } : patch,
    binding: moved ? { ...binding, enteredAt: now, parallelDone: [], token: newToken } : { ...binding, parallelDone: done },
    ...(note ? { note } : {}),
    checklist: input.checklist ?? [],
  };
};

/** When each automatic transition out of the record's current state is due. */
export const automaticDue = (def: BlueprintDefinition, fields: Readonly<FieldValues>, binding: BlueprintBinding, now: Date): Array<{ transition: Transition; wakeAt: string }> => {
  const state = stateOf(def, fields);
  const entered = new Date(binding.enteredAt).getTime();
  return def.transitions
    .filter((t) => t.kind === 'automatic' && t.from === state && criteriaHold(t.before.criteria, fields, now))
    .map((t) => ({ transition: t, wakeAt: new Date(entered + (t.afterHours as number) * 3_600_000).toISOString() }));
};

/**
 * A timer woke for automatic transition `transitionId` with `token`: it fires only if the record is
 * still in the same stay in `from` (same token), and it is due.
 */
export const fireAutomatic = (args: {
  def: BlueprintDefinition;
  fields: Readonly<FieldValues>;
  binding: BlueprintBinding;
  transitionId: string;
  token: string;
  now: string;
  newToken: string;
}): Outcome<TransitionResult> => {
  const t = args.def.transitions.find((x) => x.id === args.transitionId && x.kind === 'automatic');
  if (!t) return failure('not-found', `No automatic transition ${args.transitionId}`);
  if (args.binding.token !== args.token) return failure('conflict', 'The record left the state since this timer was set');
  if (args.binding.parallelDone.includes(t.id)) return failure('conflict', `"${t.name}" already ran in this stay`);
  const due = automaticDue(args.def, args.fields, args.binding, new Date(args.now)).find((d) => d.transition.id === t.id);
  if (!due) return failure('conflict', 'The record is not in the state of this automatic transition');
  if (due.wakeAt > args.now) return failure('conflict', 'Not due yet');
  // An escalation keeps the stay (and its token): it is marked done so that it runs once per stay.
  if (t.escalate) return success({ ...advance(args.def, t, t.from as string, args.binding, {}, args.now, args.newToken), to: t.from as string, moved: false, patch: {}, binding: { ...args.binding, parallelDone: [...args.binding.parallelDone, t.id] } });
  return success(advance(args.def, t, t.from as string, args.binding, {}, args.now, args.newToken));
};
