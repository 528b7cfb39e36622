import { createHash } from 'node:crypto';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { CadenceDefinition, CadenceStep } from '../../shared/domain/cadence/definition.js';
import { mergeValues, renderTemplate } from '../../shared/domain/cadence/template.js';
import { addLocalDays, isoDate, toLocal } from '../../shared/domain/cadence/zoned-time.js';
import { standardModule } from '../../shared/domain/records/standard-modules.js';
import type { EnrollmentItem } from '../../shared/db/enrollments-repo.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { createRecord, getRecord, type RecordItem } from '../../shared/db/records-repo.js';
import { getUser } from '../../shared/db/users-repo.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id of the task a step creates for an enrollment: a ULID whose time part is the enrollment's and
 * whose random part derives from (enrollment, step). A retried wake creates the same record id, which
 * the records core refuses to create twice: one task per (enrollment, step).
 */
export const stepTaskId = (enrollmentId: string, stepId: string): string => {
  const digest = createHash('sha256').update(`${enrollmentId}\u0000${stepId}`).digest();
  const random = Array.from({ length: 16 }, (_, i) => CROCKFORD[(digest[i] ?? 0) % 32]).join('');
  return `${enrollmentId.slice(0, 10)}${random}`;
};

/** Who gets the task: the record's owner (call steps, and task steps by default), their manager, or a named user. */
const assigneeOf = async (deps: AppDeps, step: Extract<CadenceStep, { type: 'call' | 'task' }>, record: RecordItem): Promise<string> => {
  if (step.type === 'call' || step.assignee.kind === 'owner') return record.ownerId;
  if (step.assignee.kind === 'user') return (await getUser(deps, step.assignee.userId)) ? step.assignee.userId : record.ownerId;
  return (await getUser(deps, record.ownerId))?.managerId ?? record.ownerId;
};

/**
 * Creates the Tasks record of a call or task step, once per (enrollment, step), through the records
 * core (so it has its history entry and `record.created` event, `via: cadence`).
 */
export const createStepTask = async (
  deps: AppDeps,
  enrollment: EnrollmentItem,
  record: RecordItem,
  step: Extract<CadenceStep, { type: 'call' | 'task' }>,
  definition: CadenceDefinition,
): Promise<string> => {
  const id = stepTaskId(enrollment.enrollmentId, step.id);
  if (await getRecord(deps, 'Tasks', id)) return id;
  const tasks = (await getModule(deps, 'Tasks')) ?? standardModule('Tasks');
  if (!tasks) throw new Error('No Tasks module');
  const owner = await getUser(deps, record.ownerId);
  const values = mergeValues(record.fields, { recordId: record.id, ownerName: owner?.name, ownerEmail: owner?.email, senderName: definition.sender.name });
  const assigneeId = await assigneeOf(deps, step, record);
  const local = toLocal(deps.clock(), enrollment.timeZone);
  const dueDate = isoDate(addLocalDays(local, step.dueInDays));
  await createRecord(
    deps,
    tasks,
    {
      id,
      ownerId: assigneeId,
      fields: { subject: renderTemplate(step.subject, values, 'header').slice(0, 255), dueDate, status: 'Open', assigneeId, relatedModule: enrollment.module, relatedId: enrollment.recordId },
    },
    { actor: 'system', via: 'cadence', reason: `Cadence ${enrollment.cadenceName}, step ${step.name ?? step.id}`, correlationId: enrollment.enrollmentId },
  );
  return id;
};
