import * as z from 'zod';
import { CadenceDefinitionSchema } from '../../shared/domain/cadence/definition.js';
import { ENROLLMENT_STATUSES } from '../../shared/domain/cadence/planner.js';
import { UNENROLL_REASONS } from '../../shared/events/catalog/cadences.js';
import { PageQuery } from '../records/schemas.js';
import { mergedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const Id = lazySchema(() => z.string().regex(/^[0-9A-Z]{26}$/, 'A cadence id (26 upper-case letters or digits)'));
const RecordId = lazySchema(() => z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'A record id'));

export const CadenceParams = lazySchema(() => z.strictObject({ id: Id }));
export const EnrollmentParams = lazySchema(() => z.strictObject({ id: Id, recordId: RecordId }));

export const CadenceBody = CadenceDefinitionSchema;

export const CadenceSchema = lazySchema(() => CadenceDefinitionSchema.safeExtend({
  id: z.string(),
  version: z.number().int().min(1),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({ id: 'Cadence' }));

/** PUT takes what GET answers (its id, version, active flag and timestamps are read-only) or the definition alone. */
export const CadenceEditBody = lazySchema(() => mergedDefinitionBody(CadenceDefinitionSchema, CadenceSchema));

export const CadencePageSchema = lazySchema(() => z.object({ items: z.array(CadenceSchema), nextCursor: z.string().optional() }).meta({ id: 'CadencePage' }));

export const EnrollBody = lazySchema(() => z
  .strictObject({ recordIds: z.array(RecordId).min(1).max(100) })
  .refine((b) => new Set(b.recordIds).size === b.recordIds.length, { message: 'Record ids must be unique', path: ['recordIds'] })
  .meta({ id: 'EnrollRecords' }));

export const ENROLL_OUTCOMES = ['enrolled', 'alreadyEnrolled', 'notFound', 'forbidden', 'unsubscribed'] as const;
export const EnrollResultSchema = lazySchema(() => z
  .object({ items: z.array(z.object({ recordId: z.string(), outcome: z.enum(ENROLL_OUTCOMES), status: z.enum(ENROLLMENT_STATUSES).optional() })) })
  .meta({ id: 'EnrollResult' }));

const EmailEventsSchema = lazySchema(() => z.object({
  sentAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  openedAt: z.string().optional(),
  clickedAt: z.string().optional(),
  repliedAt: z.string().optional(),
  bouncedAt: z.string().optional(),
  complainedAt: z.string().optional(),
}));

export const EnrollmentSchema = lazySchema(() => z
  .object({
    recordId: z.string(),
    module: z.string(),
    status: z.enum(ENROLLMENT_STATUSES),
    cadenceVersion: z.number().int(),
    trigger: z.enum(['manual', 'automatic']),
    enrolledAt: z.iso.datetime(),
    endedReason: z.enum([...UNENROLL_REASONS, 'completed']).optional(),
    endedAt: z.iso.datetime().optional(),
    nextWakeAt: z.iso.datetime().optional(),
    steps: z.array(z.object({ stepId: z.string(), status: z.enum(['sent', 'created', 'skipped', 'failed']), at: z.iso.datetime(), reason: z.string().optional(), email: EmailEventsSchema.optional() })),
  })
  .meta({ id: 'CadenceEnrollment' }));

export const EnrollmentPageSchema = lazySchema(() => z.object({ items: z.array(EnrollmentSchema), nextCursor: z.string().optional() }).meta({ id: 'CadenceEnrollmentPage' }));

export const ListEnrollmentsQuery = lazySchema(() => PageQuery.extend({ status: z.enum(ENROLLMENT_STATUSES).optional() }));

export const STEP_METRICS = ['sent', 'delivered', 'opened', 'clicked', 'replied', 'bounced', 'complained', 'tasksCreated', 'skipped', 'failed'] as const;

export const ReportSchema = lazySchema(() => z
  .object({
    cadenceId: z.string(),
    name: z.string(),
    enrollments: z.object({ total: z.number().int(), active: z.number().int(), paused: z.number().int(), completed: z.number().int(), unenrolled: z.number().int() }),
    steps: z.array(
      z.object({ stepId: z.string(), name: z.string().optional(), type: z.enum(['email', 'call', 'task']), ...Object.fromEntries(STEP_METRICS.map((m) => [m, z.number().int()])) }),
    ),
    unenrollReasons: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'CadenceReport' }));
export type Report = z.infer<typeof ReportSchema>;

export { PageQuery };
