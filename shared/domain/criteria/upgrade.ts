import type { Condition, Criteria, CriteriaEntry } from './schema.js';

/**
 * Conditions stored before the one criteria language, in every dialect Keiro has had, and what
 * each operator is called now:
 * - blueprint, approval and review criteria: a list (all hold), ops eq ne gt gte lt lte in empty notEmpty;
 * - workflow rules: `{ all?, any? }` (all of `all` and one of `any`), ops … contains isEmpty isNotEmpty;
 * - cadences: a list, ops equals notEquals in isSet isEmpty;
 * - journeys (`where`) and team assignment rules: `{ field, equals }`;
 * - wizards: `{ field, equals }`, `{ field, in }`, `{ field, filled }`;
 * - kiosks: `{ ref, equals }` (null: empty), `{ ref, filled }`, `{ ref, gt }`, `{ ref, lt }`.
 */
const RENAMED_OPS: Readonly<Record<string, string>> = { empty: 'isEmpty', notEmpty: 'isNotEmpty', isSet: 'isNotEmpty', equals: 'eq', notEquals: 'ne' };

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One stored condition (any dialect) in today's spelling; a nested group is upgraded as a group. */
const upgradeEntry = (old: unknown): CriteriaEntry => {
  if (!isObject(old)) return old as CriteriaEntry;
  if ('all' in old || 'any' in old) return upgradeCriteria(old) as Criteria;
  const field = (old.field ?? old.ref) as string;
  if (typeof old.op === 'string') {
    const op = RENAMED_OPS[old.op] ?? old.op;
    return ('value' in old && op !== 'isEmpty' && op !== 'isNotEmpty' ? { field, op, value: old.value } : { field, op }) as Condition;
  }
  if ('equals' in old) return (old.equals === null ? { field, op: 'isEmpty' } : { field, op: 'eq', value: old.equals }) as Condition;
  if ('in' in old) return { field, op: 'in', value: old.in } as Condition;
  if ('filled' in old) return { field, op: old.filled ? 'isNotEmpty' : 'isEmpty' };
  if ('gt' in old) return { field, op: 'gt', value: old.gt } as Condition;
  if ('lt' in old) return { field, op: 'lt', value: old.lt } as Condition;
  return old as unknown as CriteriaEntry;
};

/**
 * Criteria as stored in any earlier shape, in today's language (today's shape comes back equal, so
 * this can run on every read). A list or a single condition becomes `{ all: [...] }`; absent stays absent.
 */
export function upgradeCriteria(old: undefined): undefined;
export function upgradeCriteria(old: unknown): Criteria;
export function upgradeCriteria(old: unknown): Criteria | undefined {
  if (old === undefined || old === null) return undefined;
  if (Array.isArray(old)) return { all: old.map(upgradeEntry) };
  if (!isObject(old)) return old as Criteria;
  const hasAll = Array.isArray(old.all);
  const hasAny = Array.isArray(old.any);
  if (hasAll && hasAny) return { all: [...(old.all as unknown[]).map(upgradeEntry), { any: (old.any as unknown[]).map(upgradeEntry) }] };
  if (hasAll) return { all: (old.all as unknown[]).map(upgradeEntry) };
  if (hasAny) return { any: (old.any as unknown[]).map(upgradeEntry) };
  // An empty workflow criteria ({}) held for every record; a single stored condition stands alone.
  return Object.keys(old).length === 0 ? { all: [] } : { all: [upgradeEntry(old)] };
}

/** A copy of `holder` whose `key` holds upgraded criteria (absent stays absent; `orElse` fills it). */
export const withUpgradedCriteria = <T extends object>(holder: T, key: string, orElse?: Criteria): T => {
  const stored = (holder as Record<string, unknown>)[key];
  const criteria = upgradeCriteria(stored) ?? orElse;
  return criteria === undefined ? holder : ({ ...holder, [key]: criteria } as T);
};
