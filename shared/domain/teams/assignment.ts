import * as z from 'zod';
import { criteriaHold, CriteriaSchema, upgradeCriteria, validateCriteria } from '../criteria/index.js';
import type { ModuleMetadata } from '../records/module-definition.js';
import { UserIdSchema } from '../users/user.js';
import { isRequestSystemField } from './requests.js';
import type { FieldError } from '../errors.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * Assignment rules of a team module: criteria first (the first whose `when` holds for the request
 * wins, if its user still handles the team's work), otherwise a fallback: round-robin among the
 * team's handlers (or a named subset), one fixed user, or nobody.
 */
export const AssignmentRulesSchema = lazySchema(() => z
  .strictObject({
    criteria: z
      .array(
        z.strictObject({
          /** Criteria on the request's fields. */
          when: CriteriaSchema,
          assignTo: UserIdSchema,
        }),
      )
      .max(50)
      .default([]),
    otherwise: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('round-robin'), among: z.array(UserIdSchema).min(1).max(100).optional() }),
        z.strictObject({ kind: z.literal('user'), userId: UserIdSchema }),
        z.strictObject({ kind: z.literal('none') }),
      ])
      .default({ kind: 'none' }),
  })
  .meta({ id: 'AssignmentRules' }));
export type AssignmentRules = z.infer<typeof AssignmentRulesSchema>;

export const NO_ASSIGNMENT: AssignmentRules = { criteria: [], otherwise: { kind: 'none' } };

export type AssignmentPlan = { kind: 'user'; userId: string } | { kind: 'round-robin'; pool: string[] } | { kind: 'none' };

/**
 * Who gets a new request. `handlers` are the team's current admins, managers and members: a rule that
 * names someone who left the team (or became a participant) is skipped.
 */
export const planAssignment = (rules: AssignmentRules, fields: Record<string, unknown>, handlers: readonly string[], now: Date): AssignmentPlan => {
  const eligible = new Set(handlers);
  for (const rule of rules.criteria) {
    if (eligible.has(rule.assignTo) && criteriaHold(rule.when, fields, now)) return { kind: 'user', userId: rule.assignTo };
  }
  const fallback = rules.otherwise;
  if (fallback.kind === 'user') return eligible.has(fallback.userId) ? { kind: 'user', userId: fallback.userId } : { kind: 'none' };
  if (fallback.kind === 'none') return { kind: 'none' };
  const pool = fallback.among ? fallback.among.filter((u) => eligible.has(u)) : [...eligible].sort();
  return pool.length > 0 ? { kind: 'round-robin', pool } : { kind: 'none' };
};

/** The `ticket`-th request (1, 2, 3… from the module's counter) goes to the next handler in turn. */
export const pickRoundRobin = (pool: readonly string[], ticket: number): string | undefined =>
  pool.length === 0 ? undefined : pool[(((ticket - 1) % pool.length) + pool.length) % pool.length];

/** Rules must name fields the requester fills in, with values of their type, and current handlers. */
export const validateAssignmentRules = (rules: AssignmentRules, module: Pick<ModuleMetadata, 'fields'>, handlers: readonly string[]): FieldError[] => {
  const errors: FieldError[] = [];
  const eligible = new Set(handlers);
  const notHandler = 'Not an admin, manager or member of the team';
  // Criteria read what the requester fills in, not the request's system fields.
  const fieldOf = (name: string) => (isRequestSystemField(name) ? undefined : module.fields.find((f) => f.name === name));
  rules.criteria.forEach((rule, i) => {
    errors.push(...validateCriteria(rule.when, fieldOf, `criteria.${i}.when`));
    if (!eligible.has(rule.assignTo)) errors.push({ path: `criteria.${i}.assignTo`, message: notHandler });
  });
  const fallback = rules.otherwise;
  if (fallback.kind === 'user' && !eligible.has(fallback.userId)) errors.push({ path: 'otherwise.userId', message: notHandler });
  if (fallback.kind === 'round-robin') {
    fallback.among?.forEach((u, i) => {
      if (!eligible.has(u)) errors.push({ path: `otherwise.among.${i}`, message: notHandler });
    });
  }
  return errors;
};

/** Rules as stored with `{ field, equals, assignTo }` criteria, in today's shape (`{ when, assignTo }`). */
export const upgradeAssignmentRules = (rules: AssignmentRules): AssignmentRules => ({
  ...rules,
  criteria: (rules.criteria ?? []).map((rule) => {
    const { assignTo, when, ...old } = rule as AssignmentRules['criteria'][number] & Record<string, unknown>;
    return { when: upgradeCriteria(when ?? old), assignTo };
  }),
});
