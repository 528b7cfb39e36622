import { conditionsOf, criteriaHold, type Criteria } from '../criteria/index.js';
import type { KioskAction, KioskDefinition, KioskNode, KioskValue } from './definition.js';

/** What a run knows: what was entered on screens and what each action found or did. */
export interface KioskContext {
  values: Record<string, unknown>;
  results: Record<string, unknown>;
}

/** `{{path}}`, or `{{path|what to say when it is empty}}`. */
const TEMPLATE_REF = /\{\{\s*([A-Za-z0-9_.-]+)\s*(?:\|([^{}|]{1,120}))?\}\}/g;

/** Follows a dotted path (`values.phone`, `results.find.records.0.id`); undefined where it leads nowhere. */
export const resolvePath = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), root);

export const resolveRef = (context: KioskContext, ref: string): unknown => resolvePath(context, ref);

export const resolveValue = (context: KioskContext, value: KioskValue | undefined): unknown =>
  value !== null && typeof value === 'object' ? resolveRef(context, value.ref) : value;

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return '';
  return String(value);
};

/**
 * Fills `{{path}}` references from the run (or from `scope`, e.g. one record for a choice's label);
 * `{{path|no dates yet}}` says so when the value is empty. Plain text: no markup.
 */
export const renderText = (template: string, scope: unknown): string =>
  template.replace(TEMPLATE_REF, (_m, path: string, fallback: string | undefined) => text(resolvePath(scope, path)) || (fallback?.trim() ?? ''));

/** A choice's label: never blank (nothing but punctuation and spaces); then the record's id stands in. */
export const renderOptionLabel = (template: string, record: { id: string }): string => {
  const label = renderText(template, record).trim();
  return /[\p{L}\p{N}]/u.test(label) ? label : record.id;
};

/** A decision's criteria on the run: each condition's field is a reference (`values.x`, `results.y.count`). */
export const branchHolds = (context: KioskContext, when: Criteria, now: Date): boolean => criteriaHold(when, (ref) => resolveRef(context, ref), now);

/** Every reference a template makes (`values.x`, `results.y.z`). */
export const templateRefs = (template: string): string[] => [...template.matchAll(TEMPLATE_REF)].map((m) => m[1]!);

const valueRefs = (value: KioskValue | undefined): string[] => (value !== null && typeof value === 'object' ? [value.ref] : []);

const actionRefs = (action: KioskAction): string[] => {
  switch (action.type) {
    case 'findRecords':
      return Object.values(action.where).flatMap(valueRefs);
    case 'getRecord':
      return valueRefs(action.id);
    case 'createRecord':
      return Object.values(action.fields).flatMap(valueRefs);
    case 'updateRecord':
      return [...valueRefs(action.id), ...Object.values(action.fields).flatMap(valueRefs)];
    case 'associate':
      return [...valueRefs(action.id), ...valueRefs(action.targetId)];
    case 'assignOwner':
      return [...valueRefs(action.id), ...valueRefs(action.ownerId)];
    case 'addActivity':
      return [...templateRefs(action.subject), ...valueRefs(action.relatedId), ...valueRefs(action.assigneeId)];
    case 'notify':
      return [
        ...templateRefs(action.subject),
        ...templateRefs(action.message),
        ...(action.customer ? [...templateRefs(action.customer.subject), ...templateRefs(action.customer.message)] : []),
        ...action.to.flatMap((t) => (t.kind === 'recordOwner' ? valueRefs(t.id) : t.kind === 'user' ? valueRefs(t.userId) : t.kind === 'email' ? valueRefs(t.address) : [])),
      ];
    case 'webhook':
      return Object.values(action.payload).flatMap(valueRefs);
  }
};

/**
 * The references a node makes, each with where it sits in the node (for a precise 400). A choice's
 * option label refers to the record it labels, not to the run, so it is not listed.
 */
export const nodeRefs = (node: KioskNode): Array<{ ref: string; path: string }> => {
  const at = (path: string) => (ref: string) => ({ ref, path });
  switch (node.kind) {
    case 'screen':
      return [
        ...templateRefs(node.description ?? '').map(at('description')),
        ...node.components.flatMap((c, i) =>
          c.kind === 'choice' ? [at(`components.${i}.from`)(c.from)] : c.kind === 'display' ? templateRefs(c.text).map(at(`components.${i}.text`)) : valueRefs(c.default).map(at(`components.${i}.default`)),
        ),
      ];
    case 'decision':
      return node.branches.flatMap((b, i) => conditionsOf(b.when).map(({ condition, path }) => at(`branches.${i}.when.${path}.field`)(condition.field)));
    case 'action':
      return actionRefs(node.action).map(at('action'));
    case 'end':
      return templateRefs(node.message).map(at('message'));
  }
};

/** What a node makes known to the nodes after it: a screen its components' values, an action its result. */
export const producedBy = (node: KioskNode): string[] =>
  node.kind === 'screen' ? node.components.filter((c) => c.kind !== 'display').map((c) => `values.${c.id}`) : node.kind === 'action' ? [`results.${node.id}`] : [];

/** The node's successors. */
export const successors = (node: KioskNode): string[] =>
  node.kind === 'screen' || node.kind === 'action' ? [node.next] : node.kind === 'decision' ? [...node.branches.map((b) => b.next), node.otherwise] : [];

/** `values.x` / `results.y` — the part of a reference that some node produces. */
export const refRoot = (ref: string): string => ref.split('.').slice(0, 2).join('.');

export const nodeById = (def: KioskDefinition): Map<string, KioskNode> => new Map(def.nodes.map((n) => [n.id, n]));
