import { fieldValueSchema } from '../records/field-values.js';
import type { FieldDefinition } from '../records/module-definition.js';
import type { Screen, ScreenComponent } from '../screens/screen.js';
import { ScreenNotCurrent } from '../wizard/session.js';
import type { KioskAction, KioskComponent, KioskDefinition, KioskNode } from './definition.js';
import { branchHolds, nodeById, renderOptionLabel, renderText, resolveRef, resolveValue, type KioskContext } from './references.js';
import type { FieldError } from '../errors.js';

/** A run: where it waits, what was entered and found. Kept server-side. */
export interface KioskRunState extends KioskContext {
  nodeId: string;
  /** Nodes passed through (screens, decisions, actions): bounds a run and shows its path. */
  path: string[];
}

/** A run moves through decisions on its own; it stops at a screen (waits for a person), an action (the edge runs it) or an end. */
export type KioskStep =
  | { kind: 'screen'; node: Extract<KioskNode, { kind: 'screen' }> }
  | { kind: 'action'; node: Extract<KioskNode, { kind: 'action' }> }
  | { kind: 'end'; node: Extract<KioskNode, { kind: 'end' }>; result: { title: string; message: string } };

/** A run passes at most this many nodes: a definition cannot make one run forever. */
export const MAX_RUN_STEPS = 200;

export class RunTooLong extends Error {
  constructor() {
    super(`A kiosk run passes at most ${MAX_RUN_STEPS} steps`);
  }
}

export const startRun = (def: KioskDefinition): KioskRunState => ({ nodeId: def.start, values: {}, results: {}, path: [] });

const move = (state: KioskRunState, to: string): KioskRunState => {
  if (state.path.length >= MAX_RUN_STEPS) throw new RunTooLong();
  return { ...state, nodeId: to, path: [...state.path, state.nodeId] };
};

/** Follows decisions from where the run stands to the next screen, action or end (`now`: the clock relative dates count from). */
export const settle = (def: KioskDefinition, state: KioskRunState, now: Date): { state: KioskRunState; step: KioskStep } => {
  const nodes = nodeById(def);
  let at = state;
  for (;;) {
    const node = nodes.get(at.nodeId);
    if (!node) throw new Error(`Kiosk node ${at.nodeId} is missing from a validated definition`);
    if (node.kind === 'decision') {
      at = move(at, node.branches.find((b) => branchHolds(at, b.when, now))?.next ?? node.otherwise);
      continue;
    }
    if (node.kind === 'end') return { state: at, step: { kind: 'end', node, result: { title: node.title, message: renderText(node.message, at) } } };
    return { state: at, step: node.kind === 'screen' ? { kind: 'screen', node } : { kind: 'action', node } };
  }
};

/** After the edge ran an action: its result is known to later nodes as `results.<node id>`. */
export const recordResult = (state: KioskRunState, node: Extract<KioskNode, { kind: 'action' }>, result: unknown): KioskRunState =>
  move({ ...state, results: { ...state.results, [node.id]: result } }, node.next);

interface ChoiceRecord {
  id: string;
  [key: string]: unknown;
}

const choiceRecords = (state: KioskRunState, component: Extract<KioskComponent, { kind: 'choice' }>): ChoiceRecord[] => {
  const found = resolveRef(state, component.from);
  return Array.isArray(found) ? (found.filter((r) => r && typeof r === 'object' && typeof (r as ChoiceRecord).id === 'string') as ChoiceRecord[]) : [];
};

const asField = (c: Extract<KioskComponent, { kind: 'input' }>): FieldDefinition => ({ name: c.id, label: c.label, type: c.type, required: c.required, ...(c.options ? { options: c.options } : {}) });

/** The screen the run waits on, as data for the generic renderer. */
export const renderKioskScreen = (node: Extract<KioskNode, { kind: 'screen' }>, state: KioskRunState): Screen => ({
  id: node.id,
  title: node.title,
  ...(node.description ? { description: renderText(node.description, state) } : {}),
  components: node.components.map((c): ScreenComponent => {
    if (c.kind === 'display') return { id: c.id, kind: 'display', label: c.label, required: false, text: renderText(c.text, state) };
    if (c.kind === 'choice') {
      const options = choiceRecords(state, c).map((r) => ({ value: r.id, label: renderOptionLabel(c.optionLabel, r) }));
      return { id: c.id, kind: 'choice', label: c.label, required: c.required, options, ...(state.values[c.id] !== undefined ? { value: state.values[c.id] } : {}) };
    }
    const value = state.values[c.id] ?? resolveValue(state, c.default);
    return {
      id: c.id,
      kind: 'input',
      type: c.type,
      label: c.label,
      required: c.required,
      ...(c.options ? { options: c.options.map((o) => ({ value: o, label: o })) } : {}),
      ...(value !== undefined && value !== null ? { value } : {}),
    };
  }),
});

const isBlank = (raw: unknown) => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);

/**
 * Answers the screen the run waits on (409 for any other): inputs are validated as their type, a
 * choice must be one of its options, nothing else may be sent (400 at `values.<id>`).
 */
export const submitKioskScreen = (
  node: Extract<KioskNode, { kind: 'screen' }>,
  state: KioskRunState,
  screenId: string,
  input: Record<string, unknown>,
  phoneRegion: string,
): { state: KioskRunState } | { errors: FieldError[] } => {
  if (state.nodeId !== screenId || node.id !== screenId) throw new ScreenNotCurrent(screenId, state.nodeId);
  const errors: FieldError[] = [];
  const answerable = new Set(node.components.filter((c) => c.kind !== 'display').map((c) => c.id));
  for (const key of Object.keys(input)) if (!answerable.has(key)) errors.push({ path: `values.${key}`, message: 'Not a field of this screen' });
  const values: Record<string, unknown> = { ...state.values };
  for (const c of node.components) {
    if (c.kind === 'display') continue;
    const path = `values.${c.id}`;
    const raw = input[c.id];
    if (isBlank(raw)) {
      if (c.required) errors.push({ path, message: c.kind === 'choice' ? 'Pick one' : 'This field is required' });
      delete values[c.id];
      continue;
    }
    if (c.kind === 'choice') {
      if (typeof raw !== 'string' || !choiceRecords(state, c).some((r) => r.id === raw)) errors.push({ path, message: 'Not one of the options' });
      else values[c.id] = raw;
      continue;
    }
    const parsed = fieldValueSchema(asField(c), phoneRegion).safeParse(raw);
    if (parsed.success) values[c.id] = parsed.data;
    else errors.push({ path, message: parsed.error.issues[0]?.message ?? 'Invalid value' });
  }
  if (errors.length > 0) return { errors };
  return { state: move({ ...state, values }, node.next) };
};

type Resolved<T> = T extends { ref: string } ? unknown : T;

/**
 * An action with its references filled in from the run and its texts rendered, ready for the edge to
 * carry out (the edge still checks what it gets: a reference may resolve to nothing).
 */
export const resolveAction = (action: KioskAction, context: KioskContext): { [K in keyof KioskAction]: Resolved<KioskAction[K]> } & KioskAction => {
  const v = (value: Parameters<typeof resolveValue>[1]) => resolveValue(context, value) as never;
  const fields = (record: Record<string, Parameters<typeof resolveValue>[1]>) => Object.fromEntries(Object.entries(record).map(([k, x]) => [k, v(x)]));
  switch (action.type) {
    case 'findRecords':
      return { ...action, where: fields(action.where) };
    case 'getRecord':
      return { ...action, id: v(action.id) };
    case 'createRecord':
      return { ...action, fields: fields(action.fields) };
    case 'updateRecord':
      return { ...action, id: v(action.id), fields: fields(action.fields) };
    case 'associate':
      return { ...action, id: v(action.id), targetId: v(action.targetId) };
    case 'assignOwner':
      return { ...action, id: v(action.id), ownerId: v(action.ownerId) };
    case 'addActivity':
      return { ...action, subject: renderText(action.subject, context), relatedId: v(action.relatedId), ...(action.assigneeId !== undefined ? { assigneeId: v(action.assigneeId) } : {}) };
    case 'notify':
      return {
        ...action,
        subject: renderText(action.subject, context),
        message: renderText(action.message, context),
        ...(action.customer ? { customer: { subject: renderText(action.customer.subject, context), message: renderText(action.customer.message, context) } } : {}),
        to: action.to.map((t) => (t.kind === 'recordOwner' ? { ...t, id: v(t.id) } : t.kind === 'user' ? { ...t, userId: v(t.userId) } : t.kind === 'email' ? { ...t, address: v(t.address) } : t)),
      };
    case 'webhook':
      return { ...action, payload: fields(action.payload) };
  }
};
