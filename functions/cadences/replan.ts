import type { AppDeps } from '../../shared/adapters/deps.js';
import { requireCadencePorts } from '../../shared/config/cadence.js';
import type { CadenceDefinition } from '../../shared/domain/cadence/definition.js';
import { recipientZone } from '../../shared/domain/cadence/planner.js';
import type { EnrollmentItem } from '../../shared/db/enrollments-repo.js';
import { timerTransactItem } from '../../shared/db/timers.js';
import type { TransactItem } from '../../shared/db/transact.js';

/** The shared timer's kind for cadence enrollments (stepfunctions/timer/wake-handlers.ts). */
export const CADENCE_TIMER_KIND = 'cadence';
export const cadenceTimerKey = (cadenceId: string, recordId: string): string => `${cadenceId}#${recordId}`;
export const parseCadenceTimerKey = (key: string): { cadenceId: string; recordId: string } | undefined => {
  const i = key.indexOf('#');
  return i > 0 && i < key.length - 1 ? { cadenceId: key.slice(0, i), recordId: key.slice(i + 1) } : undefined;
};

/** The timer outbox item that wakes an enrollment at `wakeAt` if `token` still holds then. */
export const enrollmentTimer = (deps: AppDeps, e: Pick<EnrollmentItem, 'cadenceId' | 'recordId'>, wakeAt: string, token: string, occurredAt: string): TransactItem =>
  timerTransactItem(deps.tableName, { kind: CADENCE_TIMER_KIND, key: cadenceTimerKey(e.cadenceId, e.recordId), wakeAt, token }, { occurredAt });

/** The recipient's time zone: the record's `timeZone`, else the cadence's, else the organisation's. */
export const recipientTimeZone = (deps: AppDeps, definition: CadenceDefinition, fields: Readonly<Record<string, unknown>>): string =>
  recipientZone(definition, fields, requireCadencePorts(deps.cadence).orgTimeZone);

/**
 * Makes an enrollment plan again now: a new plan token on the enrollment (older timers become stale)
 * and a timer waking at once, in the same transaction as the change that calls for it.
 */
export const replanNow = (deps: AppDeps, next: EnrollmentItem): { next: EnrollmentItem; timer: TransactItem } => {
  const token = deps.newId();
  const wakeAt = deps.clock().toISOString();
  return { next: { ...next, planToken: token, wakeAt }, timer: enrollmentTimer(deps, next, wakeAt, token, wakeAt) };
};
