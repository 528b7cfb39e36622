import { ALWAYS, withUpgradedCriteria } from '../criteria/index.js';

/**
 * Process definitions as stored in any earlier criteria shape, in today's (applied on every read,
 * so the next save writes the new shape): a blueprint's entry criteria and each transition's
 * `before.criteria`; an approval or review process's entry criteria.
 */
export const upgradeProcessDefinition = <D>(kind: 'blueprint' | 'approval-process' | 'review-process', def: D): D => {
  if (!def || typeof def !== 'object') return def;
  if (kind !== 'blueprint') return withUpgradedCriteria(def, 'criteria', ALWAYS);
  const bp = withUpgradedCriteria(def, 'entryCriteria', ALWAYS) as D & { transitions?: Array<{ before?: object }> };
  if (!Array.isArray(bp.transitions)) return bp;
  return { ...bp, transitions: bp.transitions.map((t) => (t.before ? { ...t, before: withUpgradedCriteria(t.before, 'criteria', ALWAYS) } : t)) };
};
