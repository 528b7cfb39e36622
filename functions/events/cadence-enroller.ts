import type { AppDeps } from '../../shared/adapters/deps.js';
import { meetsEnrollment, meetsUnenrollment } from '../../shared/domain/cadence/definition.js';
import { recordCreated, recordDeleted, recordUpdated } from '../../shared/events/catalog/index.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { getCadence, getCadenceVersion, listActiveCadences } from '../../shared/db/cadences-repo.js';
import { listRecordEnrollments, unenrollWrite, updateEnrollmentWithRetry } from '../../shared/db/enrollments-repo.js';
import { getRecord } from '../../shared/db/records-repo.js';
import { enrollRecord } from '../cadences/enroll.js';

export const CADENCE_ENROLLER = 'cadence-enroller';

/**
 * On a record event of Leads or Contacts: automatic enrollment and unenrollment.
 * 1. Deleted: every running enrollment of the record ends (recordDeleted).
 * 2. Otherwise, re-read the record (the event may be old); each running enrollment whose (own version's)
 *    unenrollment criteria now hold ends (criteria).
 * 3. Each active cadence of the module (activated before the event) whose trigger fits (onCreate: created; onCreateOrUpdate: also
 *    updated) and whose enrollment criteria hold, and whose unenrollment criteria do not, enrolls the
 *    record automatically (once per record: an ended enrollment is not restarted automatically).
 * Idempotent: enrollment is guarded per (cadence, record), unenrollment only moves running enrollments.
 */
export const handleRecordEvent = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const name = event['detail-type'];
  const data = recordUpdated.schema.partial({ changes: true }).parse(event.detail.data);
  const ctx = { actor: 'system', via: 'cadence' as const, correlationId: event.detail.metadata.correlationId, causationId: event.detail.metadata.id };
  const enrollments = await listRecordEnrollments(deps, data.module, data.recordId);
  const running = enrollments.filter((e) => e.status === 'active' || e.status === 'paused');
  if (name === recordDeleted.name) {
    for (const e of running) await updateEnrollmentWithRetry(deps, e.cadenceId, e.recordId, (c) => (c.status === 'active' || c.status === 'paused' ? unenrollWrite(deps, c, 'recordDeleted', { ...ctx, reason: 'The record was deleted' }) : undefined));
    return;
  }
  const record = await getRecord(deps, data.module, data.recordId);
  if (!record) return;
  for (const e of running) {
    const definition = await getCadenceVersion(deps, e.cadenceId, e.cadenceVersion);
    if (!definition || !meetsUnenrollment(definition, record.fields, deps.clock())) continue;
    await updateEnrollmentWithRetry(deps, e.cadenceId, e.recordId, (c) =>
      (c.status === 'active' || c.status === 'paused') && c.enrollmentId === e.enrollmentId ? unenrollWrite(deps, c, 'criteria', { ...ctx, reason: 'The record meets the unenrollment criteria' }) : undefined,
    );
  }
  const known = new Set(enrollments.map((e) => e.cadenceId));
  const cadences = (await listActiveCadences(deps, data.module)).items;
  for (const listed of cadences) {
    const { trigger } = listed.definition.enrollment;
    const fits = trigger === 'onCreateOrUpdate' || (trigger === 'onCreate' && name === recordCreated.name);
    if (!fits || known.has(listed.id)) continue;
    if (!meetsEnrollment(listed.definition, record.fields, deps.clock()) || meetsUnenrollment(listed.definition, record.fields, deps.clock())) continue;
    const cadence = await getCadence(deps, listed.id);
    // Records created or changed before the cadence was activated are not swept in by a late event.
    if (!cadence?.active || (cadence.activatedAt && event.detail.metadata.occurredAt < cadence.activatedAt)) continue;
    await enrollRecord(deps, cadence, record, 'automatic', { ...ctx, reason: `Matches the enrollment criteria of cadence ${cadence.definition.name}` });
  }
};

/** Idempotent by its own marks (no claim and finish per delivery): an enrollment is conditional on the record's enrollment item, an unenrollment only moves a running enrollment. */
export const cadenceEnroller: EventConsumer = { name: CADENCE_ENROLLER, handle: handleRecordEvent, idempotency: 'own-marks' };
