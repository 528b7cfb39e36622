import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Action } from '../../shared/domain/actions/index.js';
import type { CadenceDefinition, CadenceStep } from '../../shared/domain/cadence/definition.js';
import type { EnrollmentItem } from '../../shared/db/enrollments-repo.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { runActions } from '../events/actions/run-actions.js';

/** The action library's createTask for a call or task step: the owner calls; a task goes to its assignee. */
export const stepTaskAction = (step: Extract<CadenceStep, { type: 'call' | 'task' }>): Action =>
  ({
    type: 'createTask',
    subject: step.subject,
    assignee: step.type === 'call' ? { kind: 'owner' } : step.assignee.kind === 'user' ? { kind: 'user', userId: step.assignee.userId } : { kind: step.assignee.kind },
    dueInDays: step.dueInDays,
  }) as Action;

/**
 * Creates the Tasks record of a call or task step through the action library (shared/domain/actions,
 * runActions): once per (enrollment, step), since the library is idempotent on (source id, action
 * index) and the source id is the enrollment's step; written through the records core with
 * `via: cadence` and the cadence as the automation, so the task shows in `GET /v1/tasks`.
 */
export const createStepTask = async (
  deps: AppDeps,
  enrollment: EnrollmentItem,
  record: RecordItem,
  step: Extract<CadenceStep, { type: 'call' | 'task' }>,
  definition: CadenceDefinition,
): Promise<void> => {
  await runActions(deps, {
    sourceEventId: `cadence-${enrollment.enrollmentId}-${step.id}`,
    onceScope: `cadence/${enrollment.enrollmentId}/${step.id}`,
    via: { kind: 'cadence', id: enrollment.cadenceId, name: definition.name },
    depth: 1,
    actorId: 'system',
    record: { id: record.id, module: record.module, ownerId: record.ownerId, fields: record.fields },
    actions: [stepTaskAction(step)],
    correlationId: enrollment.enrollmentId,
  });
};
