import * as z from 'zod';
import { CriteriaSchema, upgradeCriteria } from '../criteria/index.js';
import { ModuleNameSchema } from '../records/module-definition.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * A wizard: guided data entry for one module, as ordered screens of the module's fields, with rules
 * that react to what was entered. Stored as versioned data; sessions keep the version they started on.
 */
const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'Must be a field name (camelCase)'));
const ScreenId = lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Must be lower-case letters, digits and dashes'));
const RuleValue = lazySchema(() => z.union([z.string().max(255), z.number(), z.boolean()]));

export const WizardScreenFieldSchema = lazySchema(() => z.strictObject({
  field: FieldName,
  /** Overrides the module's `required` for this wizard (a module-required field stays required). */
  required: z.boolean().optional(),
  label: z.string().min(1).max(120).optional(),
  /** Hidden until a rule shows it. */
  hidden: z.boolean().optional(),
}));
export type WizardScreenField = z.infer<typeof WizardScreenFieldSchema>;

export const WizardScreenSchema = lazySchema(() => z.strictObject({
  id: ScreenId,
  title: z.string().min(1).max(120),
  description: z.string().max(1000).optional(),
  fields: z.array(WizardScreenFieldSchema).min(1).max(50),
}));
export type WizardScreen = z.infer<typeof WizardScreenSchema>;


export const WizardEffectSchema = lazySchema(() => z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('show'), field: FieldName }),
  z.strictObject({ action: z.literal('hide'), field: FieldName }),
  z.strictObject({ action: z.literal('lock'), field: FieldName }),
  z.strictObject({ action: z.literal('setValue'), field: FieldName, value: z.union([RuleValue, z.array(z.string().max(255)).max(50)]) }),
  z.strictObject({ action: z.literal('skipScreen'), screen: ScreenId }),
]));
export type WizardEffect = z.infer<typeof WizardEffectSchema>;

export const WizardRuleSchema = lazySchema(() => z.strictObject({
  /** Criteria on the answers given so far (fields of earlier screens). */
  when: CriteriaSchema,
  then: z.array(WizardEffectSchema).min(1).max(20),
}));
export type WizardRule = z.infer<typeof WizardRuleSchema>;

export const WizardDefinitionSchema = lazySchema(() => z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    module: ModuleNameSchema,
    screens: z.array(WizardScreenSchema).min(1).max(20),
    rules: z.array(WizardRuleSchema).max(100).default([]),
  })
  .meta({ id: 'WizardDefinition' }));
export type WizardDefinition = z.infer<typeof WizardDefinitionSchema>;

/** A wizard as stored with `{ field, equals | in | filled }` rule conditions, in today's criteria shape. */
export const upgradeWizardDefinition = (def: WizardDefinition): WizardDefinition => ({
  ...def,
  rules: (def.rules ?? []).map((rule) => ({ ...rule, when: upgradeCriteria(rule.when) })),
});
