import { fieldValueSchema } from '../records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../records/module-definition.js';
import { criteriaHold, fieldsOf, validateCriteria } from '../criteria/index.js';
import type { WizardDefinition } from './definition.js';
import type { FieldError } from '../errors.js';

/** Where each field sits: its screen's index and its entry. */
const placements = (def: WizardDefinition) => {
  const at = new Map<string, { screen: number; index: number; required?: boolean | undefined; hidden?: boolean | undefined }>();
  def.screens.forEach((screen, s) =>
    screen.fields.forEach((f, index) => {
      if (!at.has(f.field)) at.set(f.field, { screen: s, index, required: f.required, hidden: f.hidden });
    }),
  );
  return at;
};

/** Picklist and boolean answers do not depend on the clock: any instant evaluates them. */
const EPOCH = new Date(0);

/** The values a required picklist or boolean can take: if skip rules cover them all, the screen is never shown. */
const finiteValues = (field: FieldDefinition): unknown[] | undefined =>
  field.type === 'boolean' ? [true, false] : field.type === 'picklist' ? [...(field.options ?? [])] : undefined;

/**
 * Checks a wizard against its module, at save: every field exists and can be written, each sits on one
 * screen, the module's required fields are all asked for and never hidden, rules name real fields and
 * screens with values of the right type, a rule only reacts to answers given before what it changes,
 * and no screen is unreachable (skipped for every possible answer, or showing nothing).
 * Returns the errors with their paths in the definition (empty when valid).
 */
export const validateWizardDefinition = (def: WizardDefinition, module: Pick<ModuleMetadata, 'name' | 'fields'>, phoneRegion: string): FieldError[] => {
  const errors: FieldError[] = [];
  const fields = new Map(module.fields.map((f) => [f.name, f]));
  const seenScreens = new Set<string>();
  const seenFields = new Set<string>();
  def.screens.forEach((screen, s) => {
    if (seenScreens.has(screen.id)) errors.push({ path: `screens.${s}.id`, message: `Duplicate screen id ${screen.id}` });
    seenScreens.add(screen.id);
    screen.fields.forEach((entry, i) => {
      const path = `screens.${s}.fields.${i}.field`;
      const field = fields.get(entry.field);
      if (!field) errors.push({ path, message: `${module.name} has no field ${entry.field}` });
      else if (field.readOnly) errors.push({ path, message: `${entry.field} is read-only` });
      if (seenFields.has(entry.field)) errors.push({ path, message: `${entry.field} is already on an earlier screen` });
      seenFields.add(entry.field);
      if (field?.required && entry.required === false) errors.push({ path: `screens.${s}.fields.${i}.required`, message: `${entry.field} is required by the module` });
    });
  });
  const at = placements(def);
  const screenIndex = new Map(def.screens.map((screen, s) => [screen.id, s]));
  const setByRule = new Set(def.rules.flatMap((r) => r.then.flatMap((e) => (e.action === 'setValue' ? [e.field] : []))));
  for (const field of module.fields) {
    if (field.required && !field.readOnly && !at.has(field.name) && !setByRule.has(field.name)) {
      errors.push({ path: 'screens', message: `The module's required field ${field.name} is on no screen` });
    }
  }

  const shown = new Set(def.rules.flatMap((r) => r.then.flatMap((e) => (e.action === 'show' ? [e.field] : []))));
  def.rules.forEach((rule, r) => {
    // A rule reads answers of the wizard's own screens; it reacts once the last of them is given.
    errors.push(...validateCriteria(rule.when, (name) => (at.has(name) ? fields.get(name) : undefined), `rules.${r}.when`, 'This wizard'));
    const read = fieldsOf(rule.when).filter((name) => at.has(name));
    const last = read.reduce<string | undefined>((a, name) => (a === undefined || at.get(name)!.screen > at.get(a)!.screen ? name : a), undefined);
    const whenAt = last === undefined ? undefined : at.get(last);
    const requires = `rules.${r}.when`;
    rule.then.forEach((effect, e) => {
      const path = `rules.${r}.then.${e}`;
      if (effect.action === 'skipScreen') {
        const target = screenIndex.get(effect.screen);
        if (target === undefined) errors.push({ path: `${path}.screen`, message: `No screen ${effect.screen}` });
        else if (whenAt && whenAt.screen >= target) errors.push({ path: requires, message: `A screen can only be skipped on an answer from an earlier screen (${last} is not before ${effect.screen})` });
        return;
      }
      const field = fields.get(effect.field);
      const target = at.get(effect.field);
      if (!field) {
        errors.push({ path: `${path}.field`, message: `${module.name} has no field ${effect.field}` });
        return;
      }
      if (field.readOnly) errors.push({ path: `${path}.field`, message: `${effect.field} is read-only` });
      if (effect.action !== 'setValue' && !target) {
        errors.push({ path: `${path}.field`, message: `${effect.field} is on no screen of this wizard` });
        return;
      }
      if (whenAt && target && whenAt.screen >= target.screen) {
        errors.push({ path: requires, message: `A rule can only react to an answer from an earlier screen (${last} is not before ${effect.field})` });
      }
      const required = field.required || target?.required === true;
      if (effect.action === 'hide' && required) errors.push({ path: `${path}.field`, message: `${effect.field} is required and cannot be hidden` });
      if (effect.action === 'lock' && required && !rule.then.some((x) => x.action === 'setValue' && x.field === effect.field)) {
        errors.push({ path: `${path}.field`, message: `${effect.field} is required: a rule that locks it must also set its value` });
      }
      if (effect.action === 'setValue') {
        const parsed = fieldValueSchema(field, phoneRegion).safeParse(effect.value);
        if (!parsed.success) errors.push({ path: `${path}.value`, message: `Not a value of ${effect.field}: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      }
    });
  });

  def.screens.forEach((screen, s) => {
    if (s === 0 && def.rules.some((r) => r.then.some((e) => e.action === 'skipScreen' && e.screen === screen.id))) {
      errors.push({ path: `screens.${s}.id`, message: 'The first screen cannot be skipped' });
    }
    if (screen.fields.every((f) => f.hidden && !shown.has(f.field))) errors.push({ path: `screens.${s}.fields`, message: `Screen ${screen.id} shows nothing: every field is hidden and no rule shows one` });
    // Skip rules on one required picklist/boolean that cover every value leave the screen unreachable.
    const skips = def.rules.filter((r) => r.then.some((e) => e.action === 'skipScreen' && e.screen === screen.id));
    for (const name of new Set(skips.flatMap((r) => fieldsOf(r.when)))) {
      const field = fields.get(name);
      const values = field ? finiteValues(field) : undefined;
      const placed = at.get(name);
      if (!field || !values || !placed || !(field.required || placed.required)) continue;
      // Only rules that read this field alone decide on it; the evaluator tells which values they skip on.
      const alone = skips.filter((r) => fieldsOf(r.when).every((f) => f === name));
      if (values.every((v) => alone.some((r) => criteriaHold(r.when, { [name]: v }, EPOCH)))) {
        errors.push({ path: `screens.${s}.id`, message: `Screen ${screen.id} is unreachable: it is skipped for every value of ${name}` });
      }
    }
  });
  return errors;
};
