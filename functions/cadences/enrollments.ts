import type { AppDeps } from '../../shared/adapters/deps.js';
import { cadenceFromItem, getReportCounters, setCadenceActive, CadenceChanged, toCadenceView, type CadenceItem } from '../../shared/db/cadences-repo.js';
import { loadCaller, sameKey } from '../../shared/db/access-context.js';
import { loadDefinitionAccess } from '../../shared/db/definition-access.js';
import { cadenceKeys, enrollmentKeys, recordKeys } from '../../shared/db/keys.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { decideCadenceRead } from '../../shared/domain/access/index.js';
import { enforce } from '../../shared/domain/access/principal.js';
import {
  getEnrollment,
  listEnrollments,
  statusDeltas,
  toEnrollmentView,
  unenrollWrite,
  updateEnrollmentWithRetry,
  withStatus,
  type EnrollmentItem,
} from '../../shared/db/enrollments-repo.js';
import { getRecords } from '../../shared/db/records-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import type { EnrollmentStatus } from '../../shared/domain/cadence/planner.js';
import { enforceOnModule, enforceOnRecord, moduleAccess } from '../records/record-access.js';
import { cadenceCaller, requireCadence } from './cadence-access.js';
import { enrollRecords, type EnrollOutcome } from './enroll.js';
import { replanNow } from './replan.js';
import { cadencesRoutes } from './routes.js';
import { STEP_METRICS, type Report } from './schemas.js';
import { Conflict, DomainError, NotFound } from '../../shared/domain/errors.js';

type ItemOutcome = EnrollOutcome | { outcome: 'notFound' } | { outcome: 'forbidden' };

/**
 * Enroll records.
 * 1. One batch: the caller, the cadence, its module, and each record with its enrollment in the cadence.
 *    The caller may update records of the cadence's module (guests: 404); the cadence exists and is active (409).
 * 2. Per record: missing → notFound; not the caller's to update → forbidden.
 * 3. The others in one transaction (enrollRecords: already enrolled → alreadyEnrolled; an unsubscribed
 *    address → unsubscribed, from one read of the suppressions).
 */
export const enrollOperation = implement(cadencesRoutes.enroll, async (req, deps) => {
  const { id } = req.params;
  const { recordIds } = req.body;
  const { context, definition } = await loadDefinitionAccess(deps, requireAuth(req), cadenceKeys.key(id), (item) => cadenceFromItem(item).definition.module, `No cadence ${id}`, {
    extra: (module) => recordIds.flatMap((recordId) => [recordKeys.key(module, recordId), enrollmentKeys.key(id, recordId)]),
  });
  enforce(decideCadenceRead(context.principal), 'Not found');
  const cadence = cadenceFromItem(definition);
  if (!cadence.active) throw new Conflict('The cadence is not active: activate it before enrolling records');
  const module = enforceOnModule(context.principal, context.module, cadence.definition.module, 'update');
  const access = { principal: context.principal, module };
  const found = (key: { PK: string; SK: string }) => context.extra.find(sameKey(key));
  const outcomes = new Map<string, ItemOutcome>();
  const enrollable: RecordItem[] = [];
  for (const recordId of recordIds) {
    const record = found(recordKeys.key(module.name, recordId)) as RecordItem | undefined;
    if (!record) {
      outcomes.set(recordId, { outcome: 'notFound' });
      continue;
    }
    try {
      await enforceOnRecord(deps, access, 'update', record);
      enrollable.push(record);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcomes.set(recordId, { outcome: error instanceof NotFound ? 'notFound' : 'forbidden' });
    }
  }
  const enrollments = new Map(enrollable.flatMap((r) => {
    const item = found(enrollmentKeys.key(id, r.id)) as EnrollmentItem | undefined;
    return item ? [[r.id, item] as const] : [];
  }));
  const ctx = changeContext(req, deps, 'cadence', `Enrolled in cadence ${cadence.definition.name}`);
  for (const [recordId, outcome] of await enrollRecords(deps, cadence, enrollable, enrollments, ctx)) outcomes.set(recordId, outcome);
  return json(200, { items: recordIds.map((recordId) => ({ recordId, ...outcomes.get(recordId)! })) });
});

const requireEnrollment = async (deps: AppDeps, cadenceId: string, recordId: string): Promise<EnrollmentItem> => {
  const item = await getEnrollment(deps, cadenceId, recordId);
  if (!item) throw new NotFound(`Record ${recordId} is not enrolled in cadence ${cadenceId}`);
  return item;
};

/**
 * Take a record out of a cadence (manual unenrollment).
 * 1. The enrollment exists; the caller may update the record.
 * 2. Active or paused → unenrolled (reason manual, when), with counters and `cadence.unenrolled`; an
 *    ended enrollment is returned as it is (repeating the DELETE changes nothing).
 */
export const unenrollOperation = implement(cadencesRoutes.unenroll, async (req, deps) => {
  await cadenceCaller(req, deps, 'read');
  const cadence = await requireCadence(deps, req.params.id);
  const access = await moduleAccess(req, deps, cadence.definition.module, 'update');
  const current = await requireEnrollment(deps, cadence.id, req.params.recordId);
  const [record] = await getRecords(deps, cadence.definition.module, [current.recordId]);
  if (record) await enforceOnRecord(deps, access, 'update', record);
  else if (!access.principal.isOrgAdmin && access.principal.orgRole !== 'admin') throw new NotFound(`No ${cadence.definition.module} record ${current.recordId}`);
  const ctx = changeContext(req, deps, 'cadence', 'Unenrolled manually');
  const next = await updateEnrollmentWithRetry(deps, cadence.id, current.recordId, (e) => (e.status === 'active' || e.status === 'paused' ? unenrollWrite(deps, e, 'manual', ctx) : undefined));
  return json(200, toEnrollmentView(next ?? current));
});

export const listEnrollmentsOperation = implement(cadencesRoutes.listEnrollments, async (req, deps) => {
  await cadenceCaller(req, deps, 'read');
  await requireCadence(deps, req.params.id);
  const page = await listEnrollments(deps, req.params.id, req.query.status, req.query.limit, req.query.cursor);
  return json(200, { items: page.items.map(toEnrollmentView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/** A record's enrollment: the caller, the cadence and the enrollment in one batch (members and admins; guests 404). */
export const getEnrollmentOperation = implement(cadencesRoutes.getEnrollment, async (req, deps) => {
  const { id, recordId } = req.params;
  const { principal, extra } = await loadCaller(deps, requireAuth(req), [cadenceKeys.key(id), enrollmentKeys.key(id, recordId)]);
  enforce(decideCadenceRead(principal), 'Not found');
  if (!extra.some(sameKey(cadenceKeys.key(id)))) throw new NotFound(`No cadence ${id}`);
  const enrollment = extra.find(sameKey(enrollmentKeys.key(id, recordId))) as EnrollmentItem | undefined;
  if (!enrollment) throw new NotFound(`Record ${recordId} is not enrolled in cadence ${id}`);
  return json(200, toEnrollmentView(enrollment));
});

/** The report: the cadence's counter item (kept with every event), shaped per status, step and reason. */
export const reportOperation = implement(cadencesRoutes.report, async (req, deps) => {
  await cadenceCaller(req, deps, 'read');
  const cadence = await requireCadence(deps, req.params.id);
  const counters = await getReportCounters(deps, cadence.id);
  const n = (name: string) => Math.max(0, counters[name] ?? 0);
  const stepIds = new Map(cadence.definition.steps.map((s) => [s.id, s] as const));
  for (const name of Object.keys(counters)) {
    const stepId = /^step:(.+):[a-zA-Z]+$/.exec(name)?.[1];
    if (stepId && !stepIds.has(stepId)) stepIds.set(stepId, { id: stepId, type: 'email' } as never);
  }
  const report: Report = {
    cadenceId: cadence.id,
    name: cadence.definition.name,
    enrollments: { total: n('enrolled'), active: n('status:active'), paused: n('status:paused'), completed: n('status:completed'), unenrolled: n('status:unenrolled') },
    steps: [...stepIds.values()].map((s) => ({
      stepId: s.id,
      ...(s.name ? { name: s.name } : {}),
      type: s.type,
      ...Object.fromEntries(STEP_METRICS.map((m) => [m, n(`step:${s.id}:${m}`)])),
    })) as Report['steps'],
    unenrollReasons: Object.fromEntries(Object.entries(counters).flatMap(([k, v]) => (k.startsWith('reason:') && v > 0 ? [[k.slice('reason:'.length), v]] : []))),
  };
  return json(200, report);
});

/** Moves every enrollment of one status to another, page by page, each with its own conditional write. */
const moveEnrollments = async (deps: AppDeps, cadence: CadenceItem, from: EnrollmentStatus, to: EnrollmentStatus): Promise<void> => {
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const batch = await listEnrollments(deps, cadence.id, from, 100, cursor);
    for (const item of batch.items) {
      await updateEnrollmentWithRetry(deps, cadence.id, item.recordId, (e) => {
        if (e.status !== from) return undefined;
        const moved = withStatus(e, to, deps.clock().toISOString());
        if (to !== 'active') {
          const { planToken: _t, wakeAt: _w, ...paused } = moved;
          return { next: paused, counters: statusDeltas(from, to), extra: [] };
        }
        const { next, timer } = replanNow(deps, moved);
        return { next, counters: statusDeltas(from, to), extra: [timer] };
      });
    }
    cursor = batch.nextCursor;
    if (!cursor) return;
  }
};

const setActive = async (deps: AppDeps, id: string, active: boolean, actor: string): Promise<CadenceItem> => {
  for (let attempt = 1; ; attempt++) {
    const current = await requireCadence(deps, id);
    const next = current.active === active ? current : await setCadenceActive(deps, current, active, actor).catch((error: unknown) => {
      if (!(error instanceof CadenceChanged)) throw error;
      if (attempt >= 5) throw new Conflict('The cadence keeps changing; try again');
      return undefined;
    });
    if (!next) continue;
    // Also when it already was in that state: finishes a pass an earlier request did not complete.
    await moveEnrollments(deps, next, active ? 'paused' : 'active', active ? 'active' : 'paused');
    return next;
  }
};

/**
 * Activate: automatic enrollment starts, and paused enrollments resume (each plans again at once, so
 * what fell due while paused goes out now, inside its send window).
 */
export const activateOperation = implement(cadencesRoutes.activateCadence, async (req, deps) => {
  const principal = await cadenceCaller(req, deps, 'define');
  const item = await setActive(deps, req.params.id, true, principal.userId);
  return json(200, toCadenceView(item), { ETag: etag(item.version) });
});

/** Deactivate: nothing is sent from now on (wakes find the cadence inactive), and active enrollments are paused. */
export const deactivateOperation = implement(cadencesRoutes.deactivateCadence, async (req, deps) => {
  const principal = await cadenceCaller(req, deps, 'define');
  const item = await setActive(deps, req.params.id, false, principal.userId);
  return json(200, toCadenceView(item), { ETag: etag(item.version) });
});
