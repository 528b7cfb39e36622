import { validateFieldValues } from '../records/field-values.js';
import type { FieldDefinition } from '../records/module-definition.js';
import { SYSTEM_MERGE_FIELDS, templatesOf } from './plan.js';
import type { Action } from './schema.js';
import { mergeFieldsOf } from './template.js';

/** One problem with a definition, at a path a front-end can show (`actions.2.fields.amount`). */
export interface ActionIssue {
  path: string;
  message: string;
}

export interface ModuleFields {
  name: string;
  fields: FieldDefinition[];
}

export interface ActionValidation {
  issues: ActionIssue[];
  /** Users the actions name: the edge checks that they exist (path → user id). */
  userRefs: Array<{ path: string; userId: string }>;
}

/**
 * Validates actions against the module they act on, at save time (pure): fields exist and values fit
 * their types, merge fields exist, recipients name fields of the right type, created records fit
 * their module. Paths start at `prefix` (e.g. `actions`).
 */
export const validateActions = (
  actions: readonly Action[],
  module: ModuleFields,
  modules: Readonly<Record<string, ModuleFields>>,
  options: { prefix?: string; phoneRegion?: string } = {},
): ActionValidation => {
  const prefix = options.prefix ?? 'actions';
  const region = options.phoneRegion ?? 'JP';
  const issues: ActionIssue[] = [];
  const userRefs: ActionValidation['userRefs'] = [];
  const byName = new Map(module.fields.map((f) => [f.name, f]));
  const mergeable = new Set<string>([...byName.keys(), ...SYSTEM_MERGE_FIELDS]);
  const fieldOfType = (path: string, name: string, types: readonly string[]) => {
    const field = byName.get(name);
    if (!field) issues.push({ path, message: `${module.name} has no field ${name}` });
    else if (!types.includes(field.type)) issues.push({ path, message: `${name} is a ${field.type} field; expected ${types.join(' or ')}` });
  };
  const fieldErrors = (at: string, mod: ModuleFields, fields: Record<string, unknown>, mode: 'create' | 'patch') => {
    const { errors } = validateFieldValues(mod, fields, mode, region, { allowReadOnly: false });
    for (const e of errors) issues.push({ path: `${at}.${e.path}`, message: e.message });
  };

  actions.forEach((action, i) => {
    const at = `${prefix}.${i}`;
    for (const [t, template] of templatesOf(action).entries()) {
      for (const name of mergeFieldsOf(template)) {
        if (!mergeable.has(name)) issues.push({ path: `${at}.${t === 0 ? (action.type === 'sendEmail' ? 'template.subject' : action.type === 'notify' ? 'message' : 'subject') : 'template'}`, message: `Unknown merge field {{${name}}}` });
      }
    }
    const who = action.type === 'sendEmail' || action.type === 'notify' ? action.to : action.type === 'createTask' ? action.assignee : undefined;
    const whoPath = action.type === 'createTask' ? `${at}.assignee` : `${at}.to`;
    if (who?.kind === 'user') userRefs.push({ path: `${whoPath}.userId`, userId: who.userId });
    if (who?.kind === 'field') fieldOfType(`${whoPath}.field`, who.field, action.type === 'sendEmail' ? ['email', 'user'] : ['user']);
    switch (action.type) {
      case 'updateFields':
        fieldErrors(at, module, action.fields, 'patch');
        break;
      case 'associate':
        fieldOfType(`${at}.field`, action.field, ['lookup']);
        break;
      case 'createTask':
        if (!modules.Tasks) issues.push({ path: at, message: 'The Tasks module does not exist' });
        break;
      case 'createRecord': {
        const target = modules[action.module];
        if (!target) {
          issues.push({ path: `${at}.module`, message: `No module ${action.module}` });
          break;
        }
        const literal: Record<string, unknown> = {};
        const targetFields = new Map(target.fields.map((f) => [f.name, f]));
        for (const [name, value] of Object.entries(action.fields)) {
          if (typeof value === 'object' && !Array.isArray(value)) {
            if (!targetFields.has(name)) issues.push({ path: `${at}.fields.${name}`, message: `${action.module} has no field ${name}` });
            if (value.from !== 'record.id' && !byName.has(value.from)) issues.push({ path: `${at}.fields.${name}.from`, message: `${module.name} has no field ${value.from}` });
          } else literal[name] = value;
        }
        if (action.relate) {
          const rel = targetFields.get(action.relate.field);
          if (!rel || rel.type !== 'lookup' || rel.lookupModule !== module.name) {
            issues.push({ path: `${at}.relate.field`, message: `${action.module}.${action.relate.field} must be a lookup to ${module.name}` });
          }
        }
        // Required fields may come from the source record or the relation: only the literal part is checked for values.
        const provided = new Set([...Object.keys(action.fields), ...(action.relate ? [action.relate.field] : [])]);
        const { errors } = validateFieldValues(target, literal, 'patch', region, { allowReadOnly: false });
        for (const e of errors) issues.push({ path: `${at}.${e.path}`, message: e.message });
        for (const f of target.fields) if (f.required && !provided.has(f.name)) issues.push({ path: `${at}.fields.${f.name}`, message: 'Required' });
        break;
      }
      default:
        break;
    }
  });
  return { issues, userRefs };
};
