import * as z from 'zod';
import { WorkflowRuleExecutedSchema } from '../../shared/events/catalog/workflow-rules.js';
import { SHADOW_KINDS, SHADOW_OUTCOMES, SHADOW_STATUSES, MAX_WINDOW_DAYS } from '../../shared/domain/shadow/model.js';
import { CadenceEditBody } from '../cadences/schemas.js';
import { JourneyEditBody, PathsSchema, ReportSchema } from '../journeys/schemas.js';
import { ApprovalProcessEditBody, BlueprintEditBody } from '../processes/schemas.js';
import { WorkflowRuleEditBody } from '../automation/schemas.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const DAY_MS = 86_400_000;
const DefinitionId = lazySchema(() => z.string().min(1).max(64));

/** The window of the past to replay: the last `days` days up to now, or `from`..`to` (at most 90 days, ending no later than now). */
export const ShadowWindowSchema = lazySchema(() => z
  .union([
    z.strictObject({ days: z.number().int().min(1).max(MAX_WINDOW_DAYS).meta({ description: 'The last N days, up to now' }) }),
    z
      .strictObject({ from: z.iso.datetime(), to: z.iso.datetime() })
      .refine((w) => Date.parse(w.from) < Date.parse(w.to), { path: ['to'], message: 'to must be after from' })
      .refine((w) => Date.parse(w.to) - Date.parse(w.from) <= MAX_WINDOW_DAYS * DAY_MS, { path: ['to'], message: `A window spans at most ${MAX_WINDOW_DAYS} days` }),
  ])
  .meta({ id: 'ShadowWindow' }));
export type ShadowWindowInput = z.infer<typeof ShadowWindowSchema>;

/** Each kind's draft is the body its own PUT takes: its errors land at `draft.…`. */
const DRAFT_BODIES = {
  blueprint: BlueprintEditBody,
  workflowRule: WorkflowRuleEditBody,
  approvalProcess: ApprovalProcessEditBody,
  cadence: CadenceEditBody,
  journey: JourneyEditBody,
} as const;

const withDraft = <K extends (typeof SHADOW_KINDS)[number]>(kind: K) =>
  z.strictObject({
    kind: z.literal(kind),
    draft: DRAFT_BODIES[kind].meta({ description: `The ${kind} definition to try, as its PUT takes it` }),
    /** The saved definition this draft edits: its published version is run beside it for comparison. */
    definitionId: DefinitionId.optional().meta({ description: 'The saved definition this draft edits (its published version is compared); absent: a new definition, nothing to compare' }),
    window: ShadowWindowSchema,
  });
const ofSaved = lazySchema(() => z.strictObject({
  kind: z.enum(SHADOW_KINDS),
  draftOf: DefinitionId.meta({ description: 'A saved definition: its draft (blueprints, approval processes) or latest version (journeys, cadences, workflow rules) is tried, its published version compared' }),
  window: ShadowWindowSchema,
}));

const withDrafts = lazySchema(() => z.discriminatedUnion('kind', [withDraft('blueprint'), withDraft('workflowRule'), withDraft('approvalProcess'), withDraft('cadence'), withDraft('journey')]));
const isObjectWith = (value: unknown, key: string): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key);

/**
 * A draft sent in full (`{ kind, draft, definitionId?, window }`) or a saved definition's (`{ kind, draftOf, window }`).
 * Checked against the one form sent, so that errors name its paths (`draft.actions.0.type`), as editable-body.ts does.
 */
export const ShadowRunBody = lazySchema(() => z
  .preprocess((value, ctx) => {
    const checked = (isObjectWith(value, 'draftOf') ? ofSaved : withDrafts).safeParse(value);
    if (!checked.success) for (const { path, message } of checked.error.issues) ctx.issues.push({ code: 'custom', path, message, input: value });
    return value;
  }, z.union([withDrafts, ofSaved]))
  .meta({ id: 'ShadowRunRequest' }));
export type ShadowRunBody = z.infer<typeof ShadowRunBody>;

export const ShadowRunParams = lazySchema(() => z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/, 'A shadow run id (26 upper-case letters or digits)') }));

/** One outcome a definition produces: its kind and what tells it apart (template subject, task subject, `from → to`, …). */
export const ShadowOutcomeSchema = lazySchema(() => z.object({ kind: z.enum(SHADOW_OUTCOMES), label: z.string() }).meta({ id: 'ShadowOutcome' }));

/** A record's outcome, explained as the workflow rules' execution log explains a run. */
export const ShadowSampleSchema = lazySchema(() => WorkflowRuleExecutedSchema.pick({ sourceEvent: true, record: true, outcome: true, reason: true, actions: true })
  .extend({ at: z.iso.datetime().meta({ description: 'When, on the replayed clock' }) })
  .meta({ id: 'ShadowSample' }));

const RecordOutcome = lazySchema(() => z.object({ record: z.object({ module: z.string(), id: z.string() }), outcome: ShadowOutcomeSchema }));

export const ShadowResultSchema = lazySchema(() => z
  .object({
    counts: z.array(ShadowOutcomeSchema.extend({ count: z.number().int() })).meta({ description: 'What the draft would have done, by outcome' }),
    samples: z.array(ShadowOutcomeSchema.extend({ items: z.array(ShadowSampleSchema).max(20) })).meta({ description: 'Up to 20 records per outcome, with the reason' }),
    comparison: z
      .object({
        publishedVersion: z.number().int(),
        counts: z.array(ShadowOutcomeSchema.extend({ count: z.number().int() })).meta({ description: 'What the published version does over the same window, through the same engine' }),
        added: z.array(RecordOutcome).meta({ description: 'Outcomes the draft adds (record had none of this outcome under the published version)' }),
        removed: z.array(RecordOutcome).meta({ description: 'Outcomes the draft removes' }),
        moved: z.array(z.object({ record: z.object({ module: z.string(), id: z.string() }), from: ShadowOutcomeSchema, to: ShadowOutcomeSchema })).meta({ description: 'Records whose outcome changes from one to another' }),
        recorded: z
          .object({ checked: z.number().int(), mismatches: z.number().int() })
          .optional()
          .meta({ description: 'The published version replayed, checked against what was recorded live (e.g. the execution log): how many records disagree' }),
        truncated: z.boolean().meta({ description: 'The lists hold at most 500 records each' }),
      })
      .optional()
      .meta({ description: 'Absent when no published version exists' }),
    limits: z
      .object({
        dependsOnPerson: z.number().int().meta({ description: 'Branches the past cannot tell because a person chooses (a transition, an approval decision)' }),
        dependsOnCustomer: z.number().int().meta({ description: "Branches that wait on the customer's reaction to an email the draft would send but that was never sent" }),
      })
      .meta({ description: 'What the result does not guess' }),
    journey: z.object({ report: ReportSchema, paths: PathsSchema }).optional().meta({ description: 'Journeys: the shadow run\'s report and paths, in the live schemas (the picture draws from `paths`)' }),
  })
  .meta({ id: 'ShadowResult' }));
export type ShadowResult = z.infer<typeof ShadowResultSchema>;

export const ShadowRunSchema = lazySchema(() => z
  .object({
    id: z.string(),
    kind: z.enum(SHADOW_KINDS),
    definitionId: z.string().optional(),
    name: z.string().meta({ description: "The draft's name" }),
    status: z.enum(SHADOW_STATUSES),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    progress: z.object({ changesReplayed: z.number().int(), changesTotal: z.number().int().optional().meta({ description: 'Known once the window is counted' }) }),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    error: z.object({ title: z.string(), detail: z.string() }).optional().meta({ description: 'Why a failed run failed' }),
    result: ShadowResultSchema.optional().meta({ description: 'When done' }),
  })
  .meta({ id: 'ShadowRun' }));
export type ShadowRunView = z.infer<typeof ShadowRunSchema>;
