import { validateCriteria } from '../criteria/index.js';
import { NEGATIVE_CONDITIONS, type CadenceDefinition } from './definition.js';
import { SPECIAL_MERGE_FIELDS, mergeFieldsOf } from './template.js';

/** A problem in a definition, at a path such as `steps.2.parent` (the edge turns these into a 400). */
export interface DefinitionError {
  path: string;
  message: string;
}

/** What validation needs of the module's metadata. */
export interface ModuleShape {
  name: string;
  fields: ReadonlyArray<{ name: string; type: string; options?: readonly string[] | undefined }>;
}

const checkMergeFields = (template: string | undefined, module: ModuleShape, at: string, errors: DefinitionError[]) => {
  if (template === undefined) return;
  const known = new Set<string>([...module.fields.map((f) => f.name), ...SPECIAL_MERGE_FIELDS]);
  const unknown = mergeFieldsOf(template).filter((name) => !known.has(name));
  if (unknown.length > 0) errors.push({ path: at, message: `Unknown merge field(s): ${unknown.map((n) => `{{${n}}}`).join(', ')}` });
};

/**
 * What the schema cannot see: step ids unique; a parent is an earlier step (so the steps form a tree,
 * with no cycle); a condition needs a parent, and every condition but `sent` an email parent; a
 * not-opened / not-replied condition needs `within`; criteria and merge fields name fields of the
 * module, with values of their type; email steps need an email field on the module.
 */
export const validateCadence = (definition: CadenceDefinition, module: ModuleShape): DefinitionError[] => {
  const errors: DefinitionError[] = [];
  if (!module.fields.some((f) => f.name === 'email' && f.type === 'email') && definition.steps.some((s) => s.type === 'email')) {
    errors.push({ path: 'module', message: `${module.name} has no email field to send to` });
  }
  const earlier = new Map<string, CadenceDefinition['steps'][number]>();
  definition.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    if (earlier.has(step.id)) errors.push({ path: `${at}.id`, message: `Duplicate step id ${step.id}` });
    const parent = step.parent === undefined ? undefined : earlier.get(step.parent);
    if (step.parent !== undefined && !parent) {
      errors.push({ path: `${at}.parent`, message: step.parent === step.id ? 'A step cannot follow itself' : `No earlier step ${step.parent} (a step follows one listed before it)` });
    }
    if (step.condition) {
      if (step.parent === undefined) errors.push({ path: `${at}.condition`, message: 'A condition is on the parent step: set parent' });
      else if (parent && parent.type !== 'email' && step.condition.event !== 'sent') {
        errors.push({ path: `${at}.condition.event`, message: `${step.condition.event} is about an email; the parent ${parent.id} is a ${parent.type} step` });
      }
      if (NEGATIVE_CONDITIONS.includes(step.condition.event) && !step.condition.within) {
        errors.push({ path: `${at}.condition.within`, message: `${step.condition.event} needs within (how long to wait)` });
      }
      if (step.condition.event === 'sent' && step.condition.within) errors.push({ path: `${at}.condition.within`, message: 'sent takes no within' });
    }
    checkMergeFields(step.subject, module, `${at}.subject`, errors);
    if (step.type === 'email') {
      checkMergeFields(step.text, module, `${at}.text`, errors);
      checkMergeFields(step.html, module, `${at}.html`, errors);
    }
    if (!earlier.has(step.id)) earlier.set(step.id, step);
  });
  errors.push(...validateCriteria(definition.enrollment.criteria, module.fields, 'enrollment.criteria', module.name));
  errors.push(...validateCriteria(definition.unenrollment.criteria, module.fields, 'unenrollment.criteria', module.name));
  return errors;
};
