import type { ModuleMetadata } from '../records/module-definition.js';
import type { KioskAction, KioskDefinition, KioskNode } from './definition.js';
import { nodeRefs, producedBy, refRoot, successors } from './references.js';
import type { FieldError } from '../errors.js';

/** Field types a kiosk can find records by: each has index items, so no Scan is needed. */
const FINDABLE: readonly string[] = ['phone', 'email', 'lookup', 'picklist'];

/** The modules a kiosk may name, by name (what the caller's organisation has). */
export type ModuleLookup = (name: string) => Pick<ModuleMetadata, 'name' | 'fields'> | undefined;

const actionModules = (action: KioskAction): Array<{ module: string; fields: string[]; path: string }> => {
  switch (action.type) {
    case 'findRecords':
      return [{ module: action.module, fields: Object.keys(action.where), path: 'where' }];
    case 'createRecord':
    case 'updateRecord':
      return [{ module: action.module, fields: Object.keys(action.fields), path: 'fields' }];
    case 'associate':
      return [{ module: action.module, fields: [action.field], path: 'field' }];
    case 'getRecord':
    case 'assignOwner':
      return [{ module: action.module, fields: [], path: 'module' }];
    case 'addActivity':
      return [{ module: action.relatedModule, fields: [], path: 'relatedModule' }];
    case 'notify':
      return action.to.flatMap((t) => (t.kind === 'recordOwner' ? [{ module: t.module, fields: [], path: 'to' }] : []));
    case 'webhook':
      return [];
  }
};

/** Nodes reachable from `from` (itself included). */
const reach = (from: string, next: (id: string) => string[]): Set<string> => {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
};

/**
 * Checks a kiosk at save, each fault with its path in the definition: unique ids, no dangling edge,
 * every node reachable and every path able to end, no loop that never waits for a person, modules and
 * fields that exist, and every reference (`values.x`, `results.y`) made only where it is sure to be
 * known: produced on every way to that node.
 */
export const validateKioskDefinition = (def: KioskDefinition, modules: ModuleLookup): FieldError[] => {
  const errors: FieldError[] = [];
  const index = new Map<string, number>();
  def.nodes.forEach((node, i) => {
    if (index.has(node.id)) errors.push({ path: `nodes.${i}.id`, message: `Duplicate node id ${node.id}` });
    else index.set(node.id, i);
  });
  const components = new Set<string>();
  def.nodes.forEach((node, i) => {
    if (node.kind !== 'screen') return;
    node.components.forEach((c, j) => {
      if (components.has(c.id)) errors.push({ path: `nodes.${i}.components.${j}.id`, message: `Component id ${c.id} is used on another screen` });
      components.add(c.id);
      if (c.kind === 'input' && (c.type === 'picklist' || c.type === 'multiselect') !== (c.options !== undefined)) {
        errors.push({ path: `nodes.${i}.components.${j}.options`, message: c.options ? 'Only picklist and multiselect inputs take options' : `A ${c.type} input needs options` });
      }
    });
  });
  if (!index.has(def.start)) errors.push({ path: 'start', message: `No node ${def.start}` });
  if (def.runners.orgRoles.length + def.runners.users.length + def.runners.teams.length === 0) errors.push({ path: 'runners', message: 'Name who may run this kiosk (org roles, users or teams)' });

  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  def.nodes.forEach((node, i) => {
    const edges = node.kind === 'decision' ? [...node.branches.map((b, k) => [`branches.${k}.next`, b.next] as const), ['otherwise', node.otherwise] as const] : node.kind === 'end' ? [] : [['next', node.next] as const];
    for (const [path, target] of edges) if (!byId.has(target)) errors.push({ path: `nodes.${i}.${path}`, message: `No node ${target}` });
    if (node.kind === 'action' && node.action.type === 'webhook' && !node.action.url.startsWith('https://')) errors.push({ path: `nodes.${i}.action.url`, message: 'A webhook must be an https URL' });
    // Colleagues' text may carry internal notes: an address outside the organisation gets only what is written for it.
    if (node.kind === 'action' && node.action.type === 'notify' && !node.action.customer && node.action.to.some((t) => t.kind === 'email')) {
      errors.push({ path: `nodes.${i}.action.customer`, message: 'An email address recipient (a customer) needs its own subject and message: the colleagues’ message is not sent to it' });
    }
    if (node.kind === 'action') {
      for (const use of actionModules(node.action)) {
        const module = modules(use.module);
        if (!module) {
          errors.push({ path: `nodes.${i}.action.${use.path === 'module' || use.path === 'relatedModule' ? use.path : 'module'}`, message: `No module ${use.module}` });
          continue;
        }
        for (const field of use.fields) {
          const def = module.fields.find((f) => f.name === field);
          if (!def) errors.push({ path: `nodes.${i}.action.${use.path === 'field' ? 'field' : `${use.path}.${field}`}`, message: `${use.module} has no field ${field}` });
          else if (node.action.type === 'associate' && def.type !== 'lookup') errors.push({ path: `nodes.${i}.action.field`, message: `${field} is not a lookup field` });
          else if (node.action.type === 'findRecords' && !FINDABLE.includes(def.type)) errors.push({ path: `nodes.${i}.action.where.${field}`, message: `Records are found by phone, email, lookup or picklist fields (indexed), not by a ${def.type} field` });
          else if (def.readOnly && (node.action.type === 'createRecord' || node.action.type === 'updateRecord')) errors.push({ path: `nodes.${i}.action.fields.${field}`, message: `${field} is read-only` });
        }
      }
    }
  });
  if (errors.length > 0 || !byId.has(def.start)) return errors;

  const next = (id: string) => successors(byId.get(id)!);
  const reachable = reach(def.start, next);
  def.nodes.forEach((node, i) => {
    if (!reachable.has(node.id)) errors.push({ path: `nodes.${i}.id`, message: `Node ${node.id} is unreachable from ${def.start}` });
  });
  // Every path ends: from each node some end node can be reached.
  const ends = new Set(def.nodes.filter((n) => n.kind === 'end').map((n) => n.id));
  def.nodes.forEach((node, i) => {
    if (reachable.has(node.id) && ![...reach(node.id, next)].some((id) => ends.has(id))) errors.push({ path: `nodes.${i}`, message: `No path from ${node.id} reaches an end` });
  });
  // A loop through actions and decisions only would run without end: each loop must wait on a screen.
  def.nodes.forEach((node, i) => {
    if (node.kind === 'screen' || node.kind === 'end') return;
    const withoutScreens = (id: string) => next(id).filter((n) => byId.get(n)!.kind !== 'screen');
    if (withoutScreens(node.id).some((n) => reach(n, withoutScreens).has(node.id))) errors.push({ path: `nodes.${i}`, message: `${node.id} is on a loop that never shows a screen` });
  });

  // What is known on every way to a node: intersect over its predecessors (the start knows nothing).
  const universe = new Set(def.nodes.flatMap(producedBy));
  const known = new Map<string, Set<string>>(def.nodes.map((n) => [n.id, n.id === def.start ? new Set<string>() : new Set(universe)]));
  const preds = new Map<string, KioskNode[]>(def.nodes.map((n) => [n.id, []]));
  for (const node of def.nodes) if (reachable.has(node.id)) for (const s of successors(node)) preds.get(s)?.push(node);
  for (let changed = true, rounds = 0; changed && rounds < 1000; rounds++) {
    changed = false;
    for (const node of def.nodes) {
      if (node.id === def.start || !reachable.has(node.id)) continue;
      const incoming = preds.get(node.id)!.map((p) => new Set([...known.get(p.id)!, ...producedBy(p)]));
      const meet = incoming.reduce((acc, s) => new Set([...acc].filter((x) => s.has(x))), incoming[0] ?? new Set<string>());
      if (meet.size !== known.get(node.id)!.size) {
        known.set(node.id, meet);
        changed = true;
      }
    }
  }
  def.nodes.forEach((node, i) => {
    if (!reachable.has(node.id)) return;
    for (const { ref, path } of nodeRefs(node)) {
      const root = refRoot(ref);
      if (!universe.has(root)) errors.push({ path: `nodes.${i}.${path}`, message: `${ref} refers to nothing this kiosk enters or does` });
      else if (!known.get(node.id)!.has(root)) errors.push({ path: `nodes.${i}.${path}`, message: `${ref} is not known on every way to ${node.id}` });
    }
    if (node.kind === 'screen') {
      node.components.forEach((c, j) => {
        if (c.kind !== 'choice') return;
        const source = byId.get(c.from.split('.')[1] ?? '');
        if (source?.kind !== 'action' || source.action.type !== 'findRecords' || c.from !== `results.${source.id}.records`) {
          errors.push({ path: `nodes.${i}.components.${j}.from`, message: 'A choice picks from the records of a findRecords action: results.<node>.records' });
        }
      });
    }
  });
  return errors;
};
