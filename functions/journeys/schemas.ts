import * as z from 'zod';
import { JourneyDefinitionSchema } from '../../shared/domain/journey/definition.js';
import { ModuleNameSchema } from '../../shared/domain/records/module-definition.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const JourneyParams = lazySchema(() => z.object({ id: z.string().min(1).max(64) }));
export const InstanceParams = lazySchema(() => JourneyParams.extend({ instanceId: z.string().min(1).max(64) }));
export const RecordJourneysParams = lazySchema(() => z.object({ module: ModuleNameSchema, id: z.string().min(1).max(64) }));
export const JourneyListQuery = lazySchema(() => z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }));

const Day = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A day, YYYY-MM-DD (UTC)').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Not a calendar day'));
export const ReportQuery = lazySchema(() => z
  .strictObject({ from: Day.optional(), to: Day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' }));
const Goal = lazySchema(() => z.string().min(1).max(40).optional().meta({ description: "The state conversion and drop-off are measured to (default: the journey's goal, else its last state)" }));
export const PathsQuery = lazySchema(() => z
  .strictObject({ goal: Goal, from: Day.optional(), to: Day.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' }));
export const PathsSvgQuery = lazySchema(() => z
  .strictObject({
    goal: Goal,
    from: Day.optional(),
    to: Day.optional(),
    untravelled: z.enum(['hide', 'show']).default('hide').meta({ description: 'Draw the transitions nobody took in the period too (dashed): hidden by default' }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' }));
export type PathsSvgQuery = z.infer<typeof PathsSvgQuery>;

export const MoveBody = lazySchema(() => z.strictObject({ to: z.string().min(1).max(40), reason: z.string().trim().min(1).max(500).optional() }).meta({ id: 'JourneyMove' }));

export const JourneySchema = lazySchema(() => z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    active: z.boolean(),
    activeVersion: z.number().int().optional().meta({ description: 'The version new instances start on (absent when inactive)' }),
    definition: JourneyDefinitionSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Journey' }));
/** PUT takes what GET answers (its `definition`; the rest is read-only) or the definition flat. */
export const JourneyEditBody = lazySchema(() => wrappedDefinitionBody(JourneyDefinitionSchema, JourneySchema, 'definition'));
export const JourneyPageSchema = lazySchema(() => z.object({ items: z.array(JourneySchema), nextCursor: z.string().optional() }));

const VisitSchema = lazySchema(() => z.object({ state: z.string(), enteredAt: z.string(), leftAt: z.string().optional(), reason: z.string() }));
export const InstanceSchema = lazySchema(() => z
  .object({
    instanceId: z.string(),
    journeyId: z.string(),
    journeyName: z.string(),
    journeyVersion: z.number().int(),
    state: z.string(),
    version: z.number().int(),
    customers: z.array(z.object({ module: z.string(), id: z.string() })),
    history: z.array(VisitSchema),
  })
  .meta({ id: 'JourneyInstance' }));
export const RecordJourneysSchema = lazySchema(() => z.object({
  items: z.array(z.object({ journeyId: z.string(), journeyName: z.string(), instanceId: z.string(), state: z.string(), history: z.array(VisitSchema) })),
}));

const Nullable = lazySchema(() => z.number().nullable());
/** drop-off.ts's figures of one state (shared/domain/journey/README.md defines them). */
export const StateOutcomeSchema = lazySchema(() => z
  .object({
    state: z.string(),
    entered: z.number().meta({ description: 'Instances started in the period whose route passed the state' }),
    carriedOn: z.number().meta({ description: 'Of those, the ones that left it' }),
    inProgress: z.number().meta({ description: 'In it now, short of the goal, and may still move on by themselves' }),
    reachedGoal: z.number().meta({ description: 'In it now, having reached the goal' }),
    droppedOff: z.number().meta({ description: 'In it now, short of the goal, at a dead end or timed out (dropOffAfter)' }),
    rate: Nullable.meta({ description: 'droppedOff ÷ entered' }),
  })
  .meta({ id: 'JourneyStateOutcome' }));
export const ReportSchema = lazySchema(() => z
  .object({
    journeyId: z.string(),
    from: z.string().optional(),
    to: z.string().optional(),
    started: z.number(),
    medianRelativeError: z.number().meta({ description: 'Medians are within this relative error (log-scale buckets); averages are exact' }),
    states: z.array(z.object({ state: z.string(), name: z.string(), now: z.number(), entered: z.number(), exited: z.number(), averageMs: Nullable, medianMs: Nullable, dropOff: Nullable.meta({ description: 'The drop-off rate of the paths (JourneyStateOutcome.rate)' }) })),
    transitions: z.array(z.object({ from: z.string(), fromName: z.string(), to: z.string(), toName: z.string(), count: z.number(), conversionRate: Nullable })),
  })
  .meta({ id: 'JourneyReport' }));
export const PathsSchema = lazySchema(() => z
  .object({
    journeyId: z.string(),
    goal: z.string(),
    paths: z.array(z.object({ states: z.array(z.string()), count: z.number(), reachedGoal: z.number(), goalConversion: z.number() })),
    dropOff: z.array(StateOutcomeSchema),
  })
  .meta({ id: 'JourneyPaths' }));
