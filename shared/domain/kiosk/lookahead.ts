import type { KioskAction, KioskDefinition, KioskNode } from './definition.js';
import { nodeById, nodeRefs, resolveValue, successors, type KioskContext } from './references.js';

/** A record an action will read or write, by module and id. */
export interface RecordRef {
  module: string;
  id: string;
}

/** What the actions between a screen and the next screens (or ends) will touch, as far as the run's context tells. */
export interface StretchNeeds {
  /** Modules whose records an action reads, finds or writes (their metadata and the caller's grants). */
  modules: string[];
  /** Modules an action writes (their process state too: the records core's write guards). */
  written: string[];
  /** Records named by a literal id or by a reference the context already resolves. */
  records: RecordRef[];
}

/** The most records a prefetch names: with the run, the caller and the modules, one BatchGetItem (100 keys). */
export const MAX_PREFETCHED_RECORDS = 50;

const asId = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined);

/** The modules and records one action touches; `written`: whether it writes them. */
const touches = (action: KioskAction, context: KioskContext): Array<{ module: string; id?: unknown; written?: boolean }> => {
  const id = (value: Parameters<typeof resolveValue>[1]) => resolveValue(context, value);
  switch (action.type) {
    case 'findRecords':
      return [{ module: action.module }];
    case 'getRecord':
      return [{ module: action.module, id: id(action.id) }];
    case 'createRecord':
      return [{ module: action.module, written: true }];
    case 'updateRecord':
    case 'associate':
    case 'assignOwner':
      return [{ module: action.module, id: id(action.id), written: true }];
    case 'addActivity':
      return [{ module: action.relatedModule, id: id(action.relatedId) }, { module: action.activity === 'task' ? 'Tasks' : 'Calls', written: true }];
    case 'notify':
      return action.to.flatMap((to) => (to.kind === 'recordOwner' ? [{ module: to.module, id: id(to.id) }] : []));
    case 'webhook':
      return [];
  }
};

/**
 * The nodes reached from `from` before a screen or an end, each once; a node's successors are followed
 * when `follow` says so (default: always).
 */
function* stretchFrom(def: KioskDefinition, from: string, follow: (node: KioskNode) => boolean = () => true): Generator<KioskNode> {
  const nodes = nodeById(def);
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const node = nodes.get(pending.pop() as string);
    if (!node || seen.has(node.id) || node.kind === 'screen' || node.kind === 'end') continue;
    seen.add(node.id);
    yield node;
    if (follow(node)) pending.push(...successors(node));
  }
}

/**
 * What the actions reachable from `from` without passing a screen will touch (every branch of a
 * decision, since which one holds may depend on what the actions find). A prefetch, never a decision:
 * each action still reads and checks what it uses.
 */
export const stretchNeeds = (def: KioskDefinition, from: string, context: KioskContext): StretchNeeds => {
  const modules = new Set<string>();
  const written = new Set<string>();
  const records = new Map<string, RecordRef>();
  for (const node of stretchFrom(def, from)) {
    if (node.kind !== 'action') continue;
    for (const touched of touches(node.action, context)) {
      modules.add(touched.module);
      if (touched.written) written.add(touched.module);
      const id = asId(touched.id);
      if (id) records.set(`${touched.module}#${id}`, { module: touched.module, id });
    }
  }
  return { modules: [...modules], written: [...written], records: [...records.values()].slice(0, MAX_PREFETCHED_RECORDS) };
};

/** What a find tells before its records are read: the ids (and so the count) its index gave. */
const KNOWN_BEFORE_RECORDS = new Set(['ids', 'count']);

/**
 * Whether the decisions after `from`, and the action they lead to, use more of a `pending` find's result
 * (node ids) than its `ids` and `count`: then the found records must be read before the run moves on.
 * Screens and ends are not looked at: every found record is read before a run waits or ends.
 */
export const usesFoundRecords = (def: KioskDefinition, from: string, pending: ReadonlySet<string>): boolean => {
  if (pending.size === 0) return false;
  for (const node of stretchFrom(def, from, (n) => n.kind === 'decision')) {
    const beyond = nodeRefs(node).some(({ ref }) => {
      const [root, id, next] = ref.split('.');
      return root === 'results' && id !== undefined && pending.has(id) && !(next !== undefined && KNOWN_BEFORE_RECORDS.has(next));
    });
    if (beyond) return true;
  }
  return false;
};
