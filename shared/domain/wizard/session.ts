import { criteriaHold } from '../criteria/index.js';
import { fieldValueSchema, type FieldValues } from '../records/field-values.js';
import type { ModuleMetadata } from '../records/module-definition.js';
import { fieldComponent, type Screen } from '../screens/screen.js';
import type { WizardDefinition } from './definition.js';
import type { FieldError } from '../errors.js';

/** Where a session stands: the screen it waits on (null once every screen is answered), the answers, the way back. */
export interface WizardProgress {
  screenId: string | null;
  values: FieldValues;
  /** Screens answered, in order: `back` returns to the last one. */
  trail: string[];
}

/** The rules' verdict for a set of answers. */
export interface RuleEffects {
  shown: Set<string>;
  hidden: Set<string>;
  locked: Set<string>;
  skipped: Set<string>;
  set: FieldValues;
}

export class ScreenNotCurrent extends Error {
  constructor(readonly screenId: string, readonly current: string | null) {
    super(current === null ? 'Every screen is answered: finish the session or go back' : `This session is on screen ${current}, not ${screenId}`);
  }
}
export class NothingToGoBackTo extends Error {
  constructor() {
    super('The session is on its first screen');
  }
}
export class ScreensRemain extends Error {
  constructor(readonly screenId: string) {
    super(`Screen ${screenId} is not answered yet`);
  }
}

/**
 * Rules react to the answers as given (one pass, in definition order: a later rule wins a conflict);
 * `now` is the clock relative dates count from.
 */
export const evaluateRules = (def: WizardDefinition, values: FieldValues, now: Date): RuleEffects => {
  const effects: RuleEffects = { shown: new Set(), hidden: new Set(), locked: new Set(), skipped: new Set(), set: {} };
  for (const rule of def.rules) {
    if (!criteriaHold(rule.when, values, now)) continue;
    for (const effect of rule.then) {
      if (effect.action === 'skipScreen') effects.skipped.add(effect.screen);
      else if (effect.action === 'show') {
        effects.shown.add(effect.field);
        effects.hidden.delete(effect.field);
      } else if (effect.action === 'hide') {
        effects.hidden.add(effect.field);
        effects.shown.delete(effect.field);
      } else if (effect.action === 'lock') effects.locked.add(effect.field);
      else effects.set[effect.field] = effect.value;
    }
  }
  return effects;
};

const isVisible = (entry: { field: string; hidden?: boolean | undefined }, effects: RuleEffects): boolean =>
  !effects.hidden.has(entry.field) && (!entry.hidden || effects.shown.has(entry.field));

const nextScreen = (def: WizardDefinition, after: number, effects: RuleEffects): string | null =>
  def.screens.slice(after + 1).find((s) => !effects.skipped.has(s.id))?.id ?? null;

export const startProgress = (def: WizardDefinition): WizardProgress => ({ screenId: def.screens[0]!.id, values: {}, trail: [] });

/** The screen the session waits on, as data for the generic renderer (null once every screen is answered). */
export const renderWizardScreen = (def: WizardDefinition, module: Pick<ModuleMetadata, 'fields'>, progress: WizardProgress, now: Date): Screen | null => {
  const screen = def.screens.find((s) => s.id === progress.screenId);
  if (!screen) return null;
  const effects = evaluateRules(def, progress.values, now);
  const fields = new Map(module.fields.map((f) => [f.name, f]));
  const components = screen.fields.flatMap((entry) => {
    const field = fields.get(entry.field);
    if (!field || !isVisible(entry, effects)) return [];
    const value = effects.locked.has(entry.field) && entry.field in effects.set ? effects.set[entry.field] : progress.values[entry.field];
    return [fieldComponent(field, { required: field.required || entry.required === true, readOnly: effects.locked.has(entry.field), value, ...(entry.label ? { label: entry.label } : {}) })];
  });
  return { id: screen.id, title: screen.title, ...(screen.description ? { description: screen.description } : {}), components };
};

const isBlank = (raw: unknown) => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);

/**
 * Answers the current screen: each visible, unlocked component is validated as its field's type
 * (errors at `values.<id>`), a required one must be filled, anything not on the screen is refused.
 * Then the rules run on the new answers and the session moves to the next screen they do not skip.
 */
export const submitWizardScreen = (
  def: WizardDefinition,
  module: Pick<ModuleMetadata, 'fields'>,
  progress: WizardProgress,
  screenId: string,
  input: Record<string, unknown>,
  phoneRegion: string,
  now: Date,
): { progress: WizardProgress } | { errors: FieldError[] } => {
  if (progress.screenId !== screenId) throw new ScreenNotCurrent(screenId, progress.screenId);
  const index = def.screens.findIndex((s) => s.id === screenId);
  const screen = def.screens[index]!;
  const before = evaluateRules(def, progress.values, now);
  const fields = new Map(module.fields.map((f) => [f.name, f]));
  const visible = screen.fields.filter((entry) => isVisible(entry, before) && fields.has(entry.field));
  const errors: FieldError[] = [];
  const onScreen = new Set(visible.map((e) => e.field));
  for (const key of Object.keys(input)) {
    if (!onScreen.has(key)) errors.push({ path: `values.${key}`, message: 'Not a field of this screen' });
  }
  const values: FieldValues = { ...progress.values };
  for (const entry of visible) {
    const field = fields.get(entry.field)!;
    const path = `values.${entry.field}`;
    const raw = input[entry.field];
    if (before.locked.has(entry.field)) {
      if (raw !== undefined && JSON.stringify(raw) !== JSON.stringify(before.set[entry.field] ?? values[entry.field])) errors.push({ path, message: 'This field is locked' });
      continue;
    }
    if (isBlank(raw)) {
      if (field.required || entry.required) errors.push({ path, message: 'This field is required' });
      delete values[entry.field];
      continue;
    }
    const parsed = fieldValueSchema(field, phoneRegion).safeParse(raw);
    if (parsed.success) values[entry.field] = parsed.data;
    else errors.push({ path, message: parsed.error.issues[0]?.message ?? 'Invalid value' });
  }
  if (errors.length > 0) return { errors };
  const after = evaluateRules(def, values, now);
  Object.assign(values, after.set);
  return { progress: { screenId: nextScreen(def, index, after), values, trail: [...progress.trail, screenId] } };
};

/**
 * Keeps what was typed on the current screen without moving on (a draft): each value must fit its
 * field's type (400 at `values.<id>`), but nothing is required yet; locked fields and rules are untouched.
 */
export const draftWizardScreen = (
  def: WizardDefinition,
  module: Pick<ModuleMetadata, 'fields'>,
  progress: WizardProgress,
  input: Record<string, unknown>,
  phoneRegion: string,
  now: Date,
): { progress: WizardProgress } | { errors: FieldError[] } => {
  const screen = def.screens.find((s) => s.id === progress.screenId);
  if (!screen) return Object.keys(input).length === 0 ? { progress } : { errors: Object.keys(input).map((key) => ({ path: `values.${key}`, message: 'Not a field of this screen' })) };
  const effects = evaluateRules(def, progress.values, now);
  const fields = new Map(module.fields.map((f) => [f.name, f]));
  const editable = new Set(screen.fields.filter((e) => isVisible(e, effects) && !effects.locked.has(e.field) && fields.has(e.field)).map((e) => e.field));
  const errors: FieldError[] = [];
  const values: FieldValues = { ...progress.values };
  for (const [key, raw] of Object.entries(input)) {
    if (!editable.has(key)) {
      errors.push({ path: `values.${key}`, message: 'Not a field of this screen' });
      continue;
    }
    if (isBlank(raw)) {
      delete values[key];
      continue;
    }
    const parsed = fieldValueSchema(fields.get(key)!, phoneRegion).safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else errors.push({ path: `values.${key}`, message: parsed.error.issues[0]?.message ?? 'Invalid value' });
  }
  return errors.length > 0 ? { errors } : { progress: { ...progress, values } };
};

/** Back to the screen answered last; its answers stay filled in. */
export const wizardBack = (progress: WizardProgress): WizardProgress => {
  const previous = progress.trail.at(-1);
  if (previous === undefined) throw new NothingToGoBackTo();
  return { screenId: previous, values: progress.values, trail: progress.trail.slice(0, -1) };
};

/**
 * The record's fields once every screen is answered: the answers on screens that were shown (a later
 * change of mind that skips a screen or hides a field drops what was entered there), plus the values rules set.
 */
export const wizardRecordFields = (def: WizardDefinition, progress: WizardProgress, now: Date): FieldValues => {
  if (progress.screenId !== null) throw new ScreensRemain(progress.screenId);
  const effects = evaluateRules(def, progress.values, now);
  const out: FieldValues = {};
  for (const screen of def.screens) {
    if (effects.skipped.has(screen.id) || !progress.trail.includes(screen.id)) continue;
    for (const entry of screen.fields) {
      const value = progress.values[entry.field];
      if (value !== undefined && isVisible(entry, effects)) out[entry.field] = value;
    }
  }
  return { ...out, ...effects.set };
};
