import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

/**
 * The one criteria language of every definition (blueprints, approval and review processes,
 * workflow rules, cadences, journeys, wizards, kiosks, team assignment rules). See README.md.
 */

/** Groups nest at most this deep (the top group counts as 1): `(1 and (2 or (3 and 4)))`. */
export const MAX_DEPTH = 4;
/** Entries (conditions or groups) in one group. */
export const MAX_GROUP_ENTRIES = 25;
/** Conditions in one criteria, counted over every group. */
export const MAX_CONDITIONS = 50;
/** The largest day count of a relative date (100 years). */
export const MAX_DAYS = 36_500;

/**
 * A field name (`amount`), or a dotted path where the definition reads from more than one place
 * (kiosks: `values.<component>`, `results.<node>.<path>`).
 */
export const CriteriaFieldSchema = lazySchema(() => z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}(\.[A-Za-z0-9_-]{1,64}){0,7}$/, 'A field name, or a dotted path such as values.phone'));

/** A value a field is compared with: text, a number, or true/false (dates and date-times are ISO text). */
export const ScalarSchema = lazySchema(() => z.union([z.string().max(1000), z.number().finite(), z.boolean()]));
export type Scalar = z.infer<typeof ScalarSchema>;
const OrderedValueSchema = lazySchema(() => z.union([z.number().finite(), z.iso.date(), z.iso.datetime({ offset: true })]));

export const EQUALITY_OPS = ['eq', 'ne'] as const;
export const ORDERING_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
export const MEMBERSHIP_OPS = ['in', 'notIn'] as const;
export const EMPTINESS_OPS = ['isEmpty', 'isNotEmpty'] as const;
/** Dates relative to the evaluation's clock, in whole days: "within the last 7 days", "more than 30 days ago". */
export const RELATIVE_DATE_OPS = ['withinLastDays', 'withinNextDays', 'moreThanDaysAgo', 'moreThanDaysAhead'] as const;
export const OPERATORS = [...EQUALITY_OPS, ...ORDERING_OPS, ...MEMBERSHIP_OPS, 'contains', ...EMPTINESS_OPS, ...RELATIVE_DATE_OPS] as const;
export type Operator = (typeof OPERATORS)[number];

/** What a condition asks of one value, without naming the field (a workflow trigger's `to` names it beside). */
const tests = [
  lazySchema(() => z.strictObject({ op: z.enum(EQUALITY_OPS), value: ScalarSchema })),
  lazySchema(() => z.strictObject({ op: z.enum(ORDERING_OPS), value: OrderedValueSchema })),
  lazySchema(() => z.strictObject({ op: z.enum(MEMBERSHIP_OPS), value: z.array(ScalarSchema).min(1).max(100) })),
  lazySchema(() => z.strictObject({ op: z.literal('contains'), value: z.string().min(1).max(1000) })),
  lazySchema(() => z.strictObject({ op: z.enum(EMPTINESS_OPS) })),
  lazySchema(() => z.strictObject({ op: z.enum(RELATIVE_DATE_OPS), value: z.number().int().min(0).max(MAX_DAYS) })),
] as const;

export const ValueTestSchema = lazySchema(() => z.discriminatedUnion('op', [...tests]).meta({ id: 'CriteriaValueTest' }));
export type ValueTest = z.infer<typeof ValueTestSchema>;

export const ConditionSchema = lazySchema(() => z
  .discriminatedUnion('op', [
    tests[0].extend({ field: CriteriaFieldSchema }),
    tests[1].extend({ field: CriteriaFieldSchema }),
    tests[2].extend({ field: CriteriaFieldSchema }),
    tests[3].extend({ field: CriteriaFieldSchema }),
    tests[4].extend({ field: CriteriaFieldSchema }),
    tests[5].extend({ field: CriteriaFieldSchema }),
  ])
  .meta({ id: 'CriteriaCondition' }));
export type Condition = z.infer<typeof ConditionSchema>;

/** A group holds when every entry of `all` holds, or when at least one entry of `any` holds. */
export type Criteria = { all: CriteriaEntry[]; any?: never } | { any: CriteriaEntry[]; all?: never };
export type CriteriaEntry = Condition | Criteria;

/** A group whose nested groups go at most `levels - 1` deeper (built level by level, so no schema recurses). */
const group = (levels: number): z.ZodType<Criteria> => {
  const entry = levels > 1 ? z.union([ConditionSchema, group(levels - 1)]) : ConditionSchema;
  // Two shapes rather than one with a refine: a condition fails both at once, so the error is
  // reported at the condition's own field (`all.2.op`).
  return z.union([z.strictObject({ all: z.array(entry).max(MAX_GROUP_ENTRIES) }), z.strictObject({ any: z.array(entry).min(1).max(MAX_GROUP_ENTRIES) })], {
    error: 'A group is { all: [...] } or { any: [...] } (nest a group for both)',
  }) as unknown as z.ZodType<Criteria>;
};

/** Counts the conditions in a group, over every nested group. */
export const conditionCount = (criteria: Criteria): number =>
  (criteria.all ?? criteria.any ?? []).reduce((n, e) => n + ('op' in e ? 1 : conditionCount(e)), 0);

/**
 * Criteria: `{ all: [...] }` or `{ any: [...] }`, whose entries are conditions or nested groups.
 * `{ all: [] }` holds for every record.
 */
export const CriteriaSchema = lazySchema(() => group(MAX_DEPTH)
  .superRefine((c, ctx) => {
    if (conditionCount(c) > MAX_CONDITIONS) ctx.addIssue({ code: 'custom', path: [], message: `At most ${MAX_CONDITIONS} conditions in all` });
  })
  .meta({
    id: 'Criteria',
    description:
      'One criteria language for every definition. `{ "all": [...] }` holds when every entry holds, `{ "any": [...] }` when at least one does; an entry is a condition `{ field, op, value? }` or a nested group (at most 4 levels, 25 entries a group, 50 conditions in all).',
  }));

/** Criteria that hold for every record. */
export const ALWAYS: Criteria = { all: [] };
