import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { CadenceItem } from '../../shared/db/cadences-repo.js';
import {
  EnrollmentChanged,
  enrolledHistory,
  getEnrollment,
  newEnrollmentItem,
  statusDeltas,
  writeEnrollment,
} from '../../shared/db/enrollments-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { isErased, type RecordItem } from '../../shared/db/records-repo.js';
import { Conflict } from '../../shared/domain/errors.js';
import { getSuppression } from '../../shared/db/suppression-repo.js';
import type { EnrollmentStatus } from '../../shared/domain/cadence/planner.js';
import { recipientTimeZone, replanNow } from './replan.js';

export type EnrollOutcome = { outcome: 'enrolled' } | { outcome: 'alreadyEnrolled'; status: EnrollmentStatus } | { outcome: 'unsubscribed' };

/**
 * Enrolls one record in an (active) cadence, with its current definition version.
 * 1. Read the record's enrollment in this cadence: active or paused → alreadyEnrolled (not an error).
 *    An ended one is re-enrolled only manually (automatic enrollment enrolls a record once).
 * 2. An address that unsubscribed (or bounced) is not enrolled.
 * 3. One transaction: the enrollment item (the guard: absent, or the exact ended version read), the
 *    report counters, the `cadence.enrolled` history entry on the record, and a timer waking at once
 *    (so the first step is planned and, if due, sent by the timer, never by the request).
 * A concurrent enrollment of the same record loses the guard's condition and reads as alreadyEnrolled.
 */
export const enrollRecord = async (
  deps: AppDeps,
  cadence: CadenceItem,
  record: RecordItem,
  trigger: 'manual' | 'automatic',
  ctx: ChangeContext,
  /** Items that must land with the enrollment itself (an automation's done-marker). */
  extraItems: TransactItem[] = [],
): Promise<EnrollOutcome> => {
  if (isErased(record)) throw new Conflict(`${record.module} record ${record.id} has been erased: it is never enrolled again`);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const existing = await getEnrollment(deps, cadence.id, record.id);
    if (existing && (existing.status === 'active' || existing.status === 'paused' || trigger === 'automatic')) return { outcome: 'alreadyEnrolled', status: existing.status };
    const to = typeof record.fields.email === 'string' ? record.fields.email : undefined;
    if (to && (await getSuppression(deps, to))?.reason === 'unsubscribed') return { outcome: 'unsubscribed' };
    const now = deps.clock().toISOString();
    const fresh = newEnrollmentItem(
      {
        cadenceId: cadence.id,
        cadenceName: cadence.definition.name,
        cadenceVersion: cadence.version,
        module: record.module,
        recordId: record.id,
        enrollmentId: deps.newId(),
        trigger,
        timeZone: recipientTimeZone(deps, cadence.definition, record.fields),
      },
      ctx.actor,
      now,
      existing,
    );
    const { next, timer } = replanNow(deps, fresh);
    const counters = statusDeltas(existing?.status, 'active');
    if (existing) counters.enrolled = 1;
    try {
      await writeEnrollment(deps, next, existing, counters, [enrolledHistory(deps, next, ctx), timer, ...extraItems]);
      businessMetric('CadenceEnrollments', 1, { module: record.module, trigger });
      return { outcome: 'enrolled' };
    } catch (error) {
      if (!(error instanceof EnrollmentChanged)) throw error;
    }
  }
  const current = await getEnrollment(deps, cadence.id, record.id);
  return { outcome: 'alreadyEnrolled', status: current?.status ?? 'active' };
};
