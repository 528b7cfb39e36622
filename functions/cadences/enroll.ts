import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { CadenceItem } from '../../shared/db/cadences-repo.js';
import {
  EnrollmentChanged,
  enrolledHistory,
  enrollmentChunks,
  getEnrollment,
  newEnrollmentItem,
  statusDeltas,
  writeEnrollment,
  writeEnrollments,
  type EnrollmentItem,
  type EnrollmentWrite,
} from '../../shared/db/enrollments-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { isErased, type RecordItem } from '../../shared/db/records-repo.js';
import { Conflict } from '../../shared/domain/errors.js';
import { getSuppression, getSuppressions } from '../../shared/db/suppression-repo.js';
import type { EnrollmentStatus } from '../../shared/domain/cadence/planner.js';
import { recipientTimeZone, replanNow } from './replan.js';

export type EnrollOutcome = { outcome: 'enrolled' } | { outcome: 'alreadyEnrolled'; status: EnrollmentStatus } | { outcome: 'unsubscribed' };

type Trigger = 'manual' | 'automatic';

const refuseErased = (record: RecordItem): void => {
  if (isErased(record)) throw new Conflict(`${record.module} record ${record.id} has been erased: it is never enrolled again`);
};

/** Active or paused → already enrolled; an ended one is re-enrolled only manually (automatic enrollment enrolls a record once). */
const alreadyEnrolled = (existing: EnrollmentItem | undefined, trigger: Trigger): EnrollOutcome | undefined =>
  existing && (existing.status === 'active' || existing.status === 'paused' || trigger === 'automatic') ? { outcome: 'alreadyEnrolled', status: existing.status } : undefined;

const emailOf = (record: RecordItem): string | undefined => (typeof record.fields.email === 'string' ? record.fields.email : undefined);

/**
 * One record's enrollment write, from its enrollment as read (absent, or ended): the enrollment item (the
 * guard: absent, or the exact ended version read), the report counters, the `cadence.enrolled` history
 * entry on the record, and a timer waking at once (so the first step is planned and, if due, sent by the
 * timer, never by the request).
 */
const planEnrollment = (deps: AppDeps, cadence: CadenceItem, record: RecordItem, trigger: Trigger, ctx: ChangeContext, existing: EnrollmentItem | undefined, extraItems: TransactItem[] = []): EnrollmentWrite => {
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
  return { next, previous: existing, counters, extra: [enrolledHistory(deps, next, ctx), timer, ...extraItems] };
};

/**
 * Enrolls one record in an (active) cadence, with its current definition version.
 * 1. Read the record's enrollment in this cadence: active or paused → alreadyEnrolled (not an error).
 *    An ended one is re-enrolled only manually (automatic enrollment enrolls a record once).
 * 2. An address that unsubscribed (or bounced) is not enrolled.
 * 3. One transaction: the enrollment and what lands with it (planEnrollment).
 * A concurrent enrollment of the same record loses the guard's condition and reads as alreadyEnrolled.
 */
export const enrollRecord = async (
  deps: AppDeps,
  cadence: CadenceItem,
  record: RecordItem,
  trigger: Trigger,
  ctx: ChangeContext,
  /** Items that must land with the enrollment itself (an automation's done-marker). */
  extraItems: TransactItem[] = [],
): Promise<EnrollOutcome> => {
  refuseErased(record);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const existing = await getEnrollment(deps, cadence.id, record.id);
    const already = alreadyEnrolled(existing, trigger);
    if (already) return already;
    const to = emailOf(record);
    if (to && (await getSuppression(deps, to))?.reason === 'unsubscribed') return { outcome: 'unsubscribed' };
    const planned = planEnrollment(deps, cadence, record, trigger, ctx, existing, extraItems);
    try {
      await writeEnrollment(deps, planned.next, planned.previous, planned.counters, planned.extra);
      businessMetric('CadenceEnrollments', 1, { module: record.module, trigger });
      return { outcome: 'enrolled' };
    } catch (error) {
      if (!(error instanceof EnrollmentChanged)) throw error;
    }
  }
  const current = await getEnrollment(deps, cadence.id, record.id);
  return { outcome: 'alreadyEnrolled', status: current?.status ?? 'active' };
};

/**
 * Enrolls several records manually, from their enrollments as the caller read them (in its one batch).
 * 1. An erased record is 409 before anything is written.
 * 2. Active or paused → alreadyEnrolled; then one read of the suppressions of every remaining address
 *    (an unsubscribed one → unsubscribed).
 * 3. One transaction for all of them (enrollmentChunks: more only past about 30 records). A transaction
 *    that lost a race (another request enrolled one of its records meanwhile) writes nothing, and its
 *    records are enrolled one by one instead (enrollRecord re-reads each).
 */
export const enrollRecords = async (
  deps: AppDeps,
  cadence: CadenceItem,
  records: readonly RecordItem[],
  enrollments: ReadonlyMap<string, EnrollmentItem>,
  ctx: ChangeContext,
): Promise<Map<string, EnrollOutcome>> => {
  records.forEach(refuseErased);
  const outcomes = new Map<string, EnrollOutcome>();
  const pending: RecordItem[] = [];
  for (const record of records) {
    const already = alreadyEnrolled(enrollments.get(record.id), 'manual');
    if (already) outcomes.set(record.id, already);
    else pending.push(record);
  }
  const suppressions = await getSuppressions(deps, pending.flatMap((r) => emailOf(r) ?? []));
  const writes: Array<{ record: RecordItem; write: EnrollmentWrite }> = [];
  for (const record of pending) {
    const to = emailOf(record);
    if (to && suppressions.get(to)?.reason === 'unsubscribed') outcomes.set(record.id, { outcome: 'unsubscribed' });
    else writes.push({ record, write: planEnrollment(deps, cadence, record, 'manual', ctx, enrollments.get(record.id)) });
  }
  for (const chunk of enrollmentChunks(writes.map((w) => w.write))) {
    const chunkRecords = writes.filter((w) => chunk.includes(w.write)).map((w) => w.record);
    try {
      await writeEnrollments(deps, chunk);
      for (const record of chunkRecords) outcomes.set(record.id, { outcome: 'enrolled' });
      businessMetric('CadenceEnrollments', chunk.length, { module: cadence.definition.module, trigger: 'manual' });
    } catch (error) {
      if (!(error instanceof EnrollmentChanged)) throw error;
      for (const record of chunkRecords) outcomes.set(record.id, await enrollRecord(deps, cadence, record, 'manual', ctx));
    }
  }
  return outcomes;
};
