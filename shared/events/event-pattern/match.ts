import type { Branch, FieldTest } from './compile.js';
import { isJsonScalar, isPlainObject } from './json.js';
import type { JsonScalar } from './types.js';

/**
 * For each array a value sits in (by array id), the index of the element it came from. Two values
 * may be used together only if they agree on every array they share: AWS's "array consistency",
 * which stops `{ "name": ["Anna"], "last": ["Jones"] }` matching Anna Smith and Peter Jones.
 */
type Membership = ReadonlyMap<number, number>;

interface LeafValue {
  readonly value: JsonScalar;
  readonly membership: Membership;
}

/** The event flattened to dotted field paths, each with every leaf value found there. */
export type EventIndex = ReadonlyMap<string, readonly LeafValue[]>;

const NO_MEMBERSHIP: Membership = new Map();

/**
 * Flattens an event object the way AWS does: keys join with `.` (so `{"a.b": 1}` and `{a: {b: 1}}`
 * are the same field), arrays contribute their elements to the same path, and only JSON scalars are
 * values — objects, empty arrays, and non-JSON values (undefined, functions) contribute nothing.
 * Only paths in `reachable` are walked, so large events cost little.
 */
export const indexEvent = (event: Record<string, unknown>, reachable: ReadonlySet<string>): EventIndex => {
  const index = new Map<string, LeafValue[]>();
  let nextArrayId = 0;

  const visit = (node: unknown, path: string, membership: Membership): void => {
    if (Array.isArray(node)) {
      const arrayId = nextArrayId++;
      node.forEach((element, i) => visit(element, path, new Map(membership).set(arrayId, i)));
    } else if (isPlainObject(node)) {
      visitObject(node, path, membership);
    } else if (isJsonScalar(node)) {
      const values = index.get(path);
      if (values) values.push({ value: node, membership });
      else index.set(path, [{ value: node, membership }]);
    }
  };

  const visitObject = (node: Record<string, unknown>, prefix: string | undefined, membership: Membership): void => {
    for (const [key, child] of Object.entries(node)) {
      const path = prefix === undefined ? key : `${prefix}.${key}`;
      if (reachable.has(path)) visit(child, path, membership);
    }
  };

  visitObject(event, undefined, NO_MEMBERSHIP);
  return index;
};

const consistent = (constraints: Membership, membership: Membership): boolean => {
  for (const [arrayId, element] of membership) {
    const chosen = constraints.get(arrayId);
    if (chosen !== undefined && chosen !== element) return false;
  }
  return true;
};

/** The union of two memberships, or undefined if they disagree on a shared array. */
const merge = (constraints: Membership, membership: Membership): Membership | undefined => {
  if (membership.size === 0) return constraints;
  if (!consistent(constraints, membership)) return undefined;
  if (constraints.size === 0) return membership;
  const merged = new Map(constraints);
  for (const [arrayId, element] of membership) merged.set(arrayId, element);
  return merged;
};

/**
 * True if every field test of the branch can be satisfied at once: some accepted value per field,
 * all array-consistent with each other, and no value (consistent with those choices) present for a
 * field that relies on `exists: false`. A small backtracking search; events are small.
 */
export const branchMatches = (branch: Branch, index: EventIndex): boolean => {
  const candidates: (readonly LeafValue[])[] = [];
  for (const field of branch) {
    const accepted = (index.get(field.path) ?? []).filter((leaf) => field.accepts(leaf.value));
    if (accepted.length === 0 && !field.mayBeAbsent) return false;
    candidates.push(accepted);
  }

  const absent: FieldTest[] = [];
  const isAbsent = (field: FieldTest, constraints: Membership): boolean =>
    !(index.get(field.path) ?? []).some((leaf) => consistent(constraints, leaf.membership));

  const solve = (i: number, constraints: Membership): boolean => {
    const field = branch[i];
    if (field === undefined) return absent.every((missing) => isAbsent(missing, constraints));
    for (const leaf of candidates[i] ?? []) {
      const merged = merge(constraints, leaf.membership);
      if (merged !== undefined && solve(i + 1, merged)) return true;
    }
    if (field.mayBeAbsent) {
      absent.push(field);
      if (solve(i + 1, constraints)) return true;
      absent.pop();
    }
    return false;
  };

  return solve(0, NO_MEMBERSHIP);
};
