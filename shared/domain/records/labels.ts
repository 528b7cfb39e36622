import type { FieldDefinition } from './module-definition.js';

/**
 * Words people read, from module metadata: a field's label, a module's singular label, and text the
 * server writes for machines (journey reasons such as `Leads.leadStatus became Qualified`) in those words.
 */
export interface LabelledModule {
  name: string;
  label: string;
  fields: ReadonlyArray<Pick<FieldDefinition, 'name' | 'label'>>;
}

/** The label of a field (its name when the module does not know it, e.g. a field since removed). */
export const labelOf = (module: LabelledModule | undefined, field: string): string => module?.fields.find((f) => f.name === field)?.label ?? field;

/** A module's singular label, as in "Lead Mika Tanaka" (Leads → Lead, Travel Applications → Travel Application). */
export const singular = (label: string): string => (label.endsWith('ies') ? `${label.slice(0, -3)}y` : label.endsWith('s') ? label.slice(0, -1) : label);

/** `Leads.leadStatus became Qualified` → `Lead Status became Qualified`; `Leads created` → `Lead created`. */
export const humanise = (text: string, modules: Readonly<Record<string, LabelledModule>>): string =>
  text
    .replace(/\b([A-Z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)\b/g, (whole, module: string, field: string) => (modules[module] ? labelOf(modules[module], field) : whole))
    .replace(/^([A-Z][A-Za-z0-9]*) (created|converted)$/, (whole, module: string, verb: string) => (modules[module] ? `${singular(modules[module].label)} ${verb}` : whole));

/** Text with user ids (`u-manager`) replaced by people's names where they are known. */
export const namePeople = (text: string, users: Readonly<Record<string, string>> = {}): string => text.replace(/\bu-[a-z0-9-]+\b/g, (id) => users[id] ?? id);
