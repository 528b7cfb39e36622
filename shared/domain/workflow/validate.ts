import { validateActions, type ActionIssue, type ModuleFields } from '../actions/validate.js';
import { validateCondition, validateCriteria } from '../criteria/index.js';
import type { WorkflowRuleDefinition } from './rule.js';

export interface RuleValidation {
  issues: ActionIssue[];
  /** Users the definition names: the edge checks that they exist. */
  userRefs: Array<{ path: string; userId: string }>;
}

/**
 * Checks a rule definition against its module at save (pure): the trigger's and criteria's fields
 * exist and their values fit the field types, a date trigger names a date field, and the actions
 * resolve (validateActions). Paths point into the request body.
 */
export const validateRule = (def: WorkflowRuleDefinition, module: ModuleFields, modules: Readonly<Record<string, ModuleFields>>, phoneRegion = 'JP'): RuleValidation => {
  const issues: ActionIssue[] = [];
  const byName = new Map(module.fields.map((f) => [f.name, f]));
  const fieldOf = (name: string) => byName.get(name);
  const t = def.trigger;
  if (t.type === 'edited') t.fields?.forEach((f, i) => !byName.has(f) && issues.push({ path: `trigger.fields.${i}`, message: `${module.name} has no field ${f}` }));
  if (t.type === 'fieldChanged') {
    if (!byName.has(t.field)) issues.push({ path: 'trigger.field', message: `${module.name} has no field ${t.field}` });
    else if (t.to) issues.push(...validateCondition({ ...t.to, field: t.field }, fieldOf, 'trigger.to', module.name));
  }
  if (t.type === 'dateReached') {
    const field = byName.get(t.field);
    if (!field) issues.push({ path: 'trigger.field', message: `${module.name} has no field ${t.field}` });
    else if (field.type !== 'date' && field.type !== 'datetime') issues.push({ path: 'trigger.field', message: `${t.field} is a ${field.type} field; a date trigger needs a date or datetime field` });
  }
  issues.push(...validateCriteria(def.criteria, fieldOf, 'criteria', module.name));
  const actions = validateActions(def.actions, module, modules, { prefix: 'actions', phoneRegion });
  return { issues: [...issues, ...actions.issues], userRefs: actions.userRefs };
};
