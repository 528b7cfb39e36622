import { validateCriteria } from '../criteria/index.js';
import { validateParticipants } from '../process/participants.js';
import type { ModuleMetadata } from '../records/module-definition.js';
import type { BlueprintDefinition, Transition } from './definition.js';
import type { FieldError } from '../errors.js';

/** The states reachable from the initial state through the transitions (common ones from any reached state). */
export const reachableStates = (def: Pick<BlueprintDefinition, 'initialState' | 'transitions'>): Set<string> => {
  const reached = new Set([def.initialState]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of def.transitions) {
      if (!t.to || reached.has(t.to)) continue;
      if (t.from === undefined || reached.has(t.from)) {
        reached.add(t.to);
        grew = true;
      }
    }
  }
  return reached;
};

const checkTransition = (t: Transition, i: number, def: BlueprintDefinition, module: ModuleMetadata, known: { userIds: ReadonlySet<string>; teamIds: ReadonlySet<string> }): FieldError[] => {
  const errors: FieldError[] = [];
  const at = `transitions.${i}`;
  const states = new Set(def.states);
  if (t.from !== undefined && !states.has(t.from)) errors.push({ path: `${at}.from`, message: `Not a state of this blueprint: ${t.from}` });
  if (t.to !== undefined && !states.has(t.to)) errors.push({ path: `${at}.to`, message: `Not a state of this blueprint: ${t.to}` });
  if (t.from !== undefined && t.from === t.to) errors.push({ path: `${at}.to`, message: 'A transition must lead to another state' });
  t.during.fields.forEach((f, j) => {
    const field = module.fields.find((m) => m.name === f.name);
    if (!field) errors.push({ path: `${at}.during.fields.${j}.name`, message: `No field ${f.name} in ${module.name}` });
    else if (f.name === def.field) errors.push({ path: `${at}.during.fields.${j}.name`, message: 'The governed field is set by the transition itself' });
    else if (field.readOnly) errors.push({ path: `${at}.during.fields.${j}.name`, message: `${f.name} is read-only` });
    if (f.after !== undefined && !module.fields.some((m) => m.name === f.after)) errors.push({ path: `${at}.during.fields.${j}.after`, message: `No field ${f.after} in ${module.name}` });
  });
  errors.push(...validateCriteria(t.before.criteria, module.fields, `${at}.before.criteria`, module.name));
  errors.push(...validateParticipants(t.before.who, `${at}.before.who`, known));
  return errors;
};

/**
 * Validates a blueprint against its module at save (400 with these paths): the governed field is a
 * picklist and every state one of its values; transitions name states, existing fields and people
 * who resolve; ids are unique; parallel transitions come in groups; no state is unreachable.
 */
export const validateBlueprint = (
  def: BlueprintDefinition,
  module: ModuleMetadata,
  known: { userIds: ReadonlySet<string>; teamIds: ReadonlySet<string> },
): FieldError[] => {
  const errors: FieldError[] = [];
  const field = module.fields.find((f) => f.name === def.field);
  if (!field) errors.push({ path: 'field', message: `No field ${def.field} in ${module.name}` });
  else if (field.type !== 'picklist') errors.push({ path: 'field', message: 'A blueprint governs a picklist field' });
  const options = new Set(field?.options ?? []);
  def.states.forEach((s, i) => {
    if (field && !options.has(s)) errors.push({ path: `states.${i}`, message: `Not a value of ${def.field}: ${s}` });
    if (def.states.indexOf(s) !== i) errors.push({ path: `states.${i}`, message: `Duplicate state ${s}` });
  });
  if (!def.states.includes(def.initialState)) errors.push({ path: 'initialState', message: 'Must be one of states' });
  errors.push(...validateCriteria(def.entryCriteria, module.fields, 'entryCriteria', module.name));
  const ids = new Set<string>();
  def.transitions.forEach((t, i) => {
    if (ids.has(t.id)) errors.push({ path: `transitions.${i}.id`, message: `Duplicate transition id ${t.id}` });
    ids.add(t.id);
    errors.push(...checkTransition(t, i, def, module, known));
    if (t.kind === 'parallel') {
      const group = def.transitions.filter((o) => o.kind === 'parallel' && o.from === t.from && o.to === t.to);
      if (group.length < 2) errors.push({ path: `transitions.${i}.kind`, message: 'A parallel transition needs at least one sibling with the same from and to' });
    }
  });
  const reached = reachableStates(def);
  def.states.forEach((s, i) => {
    if (!reached.has(s)) errors.push({ path: `states.${i}`, message: `Unreachable state: no transition leads to ${s} from ${def.initialState}` });
  });
  return errors;
};
