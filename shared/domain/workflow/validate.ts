import { validateActions, type ActionIssue, type ModuleFields } from '../actions/validate.js';
import { fieldValueSchema } from '../records/field-values.js';
import type { Condition, Criteria } from './conditions.js';
import type { WorkflowRuleDefinition } from './rule.js';

export interface RuleValidation {
  issues: ActionIssue[];
  /** Users the definition names: the edge checks that they exist. */
  userRefs: Array<{ path: string; userId: string }>;
}

const ORDERED = new Set(['number', 'currency', 'percent', 'date', 'datetime']);

/**
 * Checks a rule definition against its module at save (pure): the trigger's and criteria's fields
 * exist and their values fit the field types, a date trigger names a date field, and the actions
 * resolve (validateActions). Paths point into the request body.
 */
export const validateRule = (def: WorkflowRuleDefinition, module: ModuleFields, modules: Readonly<Record<string, ModuleFields>>, phoneRegion = 'JP'): RuleValidation => {
  const issues: ActionIssue[] = [];
  const byName = new Map(module.fields.map((f) => [f.name, f]));
  const condition = (path: string, c: Condition) => {
    const field = byName.get(c.field);
    if (!field) return issues.push({ path: `${path}.field`, message: `${module.name} has no field ${c.field}` });
    if (c.op === 'isEmpty' || c.op === 'isNotEmpty') return;
    if (c.op === 'contains' && field.type === 'multiselect') return;
    if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && !ORDERED.has(field.type)) return issues.push({ path: `${path}.op`, message: `${c.op} needs a number or date field; ${c.field} is ${field.type}` });
    if (c.op === 'contains' && !['text', 'textarea', 'email', 'multiselect'].includes(field.type)) return issues.push({ path: `${path}.op`, message: `contains needs a text or multiselect field; ${c.field} is ${field.type}` });
    const schema = field.type === 'multiselect' ? fieldValueSchema({ ...field, type: 'picklist' }, phoneRegion) : fieldValueSchema(field, phoneRegion);
    const values: unknown[] = c.op === 'in' ? c.value : 'value' in c ? [c.value] : [];
    values.forEach((v, i) => {
      const r = schema.safeParse(v);
      if (!r.success) issues.push({ path: c.op === 'in' ? `${path}.value.${i}` : `${path}.value`, message: r.error.issues[0]?.message ?? 'Does not fit the field' });
    });
  };
  const criteria = (c: Criteria | undefined) => {
    c?.all?.forEach((x, i) => condition(`criteria.all.${i}`, x));
    c?.any?.forEach((x, i) => condition(`criteria.any.${i}`, x));
  };

  const t = def.trigger;
  if (t.type === 'edited') t.fields?.forEach((f, i) => !byName.has(f) && issues.push({ path: `trigger.fields.${i}`, message: `${module.name} has no field ${f}` }));
  if (t.type === 'fieldChanged') {
    if (!byName.has(t.field)) issues.push({ path: 'trigger.field', message: `${module.name} has no field ${t.field}` });
    else if (t.to) condition('trigger.to', { ...t.to, field: t.field });
  }
  if (t.type === 'dateReached') {
    const field = byName.get(t.field);
    if (!field) issues.push({ path: 'trigger.field', message: `${module.name} has no field ${t.field}` });
    else if (field.type !== 'date' && field.type !== 'datetime') issues.push({ path: 'trigger.field', message: `${t.field} is a ${field.type} field; a date trigger needs a date or datetime field` });
  }
  criteria(def.criteria);
  const actions = validateActions(def.actions, module, modules, { prefix: 'actions', phoneRegion });
  return { issues: [...issues, ...actions.issues], userRefs: actions.userRefs };
};
