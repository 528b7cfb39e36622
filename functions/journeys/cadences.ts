import type { AppDeps } from '../../shared/adapters/deps.js';
import type { ActionOutcome } from '../../shared/db/action-runs.js';
import { getCadence } from '../../shared/db/cadences-repo.js';
import { unenrollWrite, updateEnrollmentWithRetry } from '../../shared/db/enrollments-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import type { JourneyAction } from '../../shared/domain/journey/definition.js';
import { enrollRecord } from '../cadences/enroll.js';

type CadenceAction = Extract<JourneyAction, { type: 'enrollInCadence' | 'unenrollFromCadence' }>;

/**
 * At save, a journey's cadence steps must name cadences that exist (by id: names need not be unique).
 * Whether the cadence is active and on the customer's module is decided when the step runs, since
 * both can change after the journey is saved.
 */
export const cadenceActionErrors = async (deps: AppDeps, states: ReadonlyArray<{ onEnter: readonly JourneyAction[] }>) => {
  const errors: { path: string; message: string }[] = [];
  for (const [i, state] of states.entries()) {
    for (const [j, action] of state.onEnter.entries()) {
      if (action.type !== 'enrollInCadence' && action.type !== 'unenrollFromCadence') continue;
      if (!(await getCadence(deps, action.cadence, false))) errors.push({ path: `states.${i}.onEnter.${j}.cadence`, message: `No cadence ${action.cadence}` });
    }
  }
  return errors;
};

/**
 * enrollInCadence / unenrollFromCadence on the customer's current record, through the cadences' own
 * enrollment functions (the same guards, counters and history as the API's).
 * - Enrolling is an explicit enrollment, like a person's: an earlier, ended enrollment is renewed; an
 *   active or paused one is left as it is; an unsubscribed address is not enrolled.
 * - A cadence that is gone, inactive or on another module is `unresolved` (nothing changes), so the
 *   journey moves on and the instance's history says why.
 * - Both are idempotent, so a redelivered event that re-runs the step changes nothing more.
 */
export const runCadenceAction = async (deps: AppDeps, action: CadenceAction, index: number, customer: RecordItem, ctx: ChangeContext): Promise<ActionOutcome> => {
  const cadence = await getCadence(deps, action.cadence);
  const unresolved = (detail: string): ActionOutcome => ({ index, type: action.type, status: 'unresolved', detail });
  if (!cadence) return unresolved(`No cadence ${action.cadence}`);
  if (cadence.definition.module !== customer.module) return unresolved(`Cadence ${cadence.definition.name} runs on ${cadence.definition.module}, not on ${customer.module}`);
  if (action.type === 'enrollInCadence') {
    if (!cadence.active) return unresolved(`Cadence ${cadence.definition.name} is not active`);
    const result = await enrollRecord(deps, cadence, customer, 'manual', ctx);
    return { index, type: action.type, status: 'done', detail: `${cadence.definition.name}: ${result.outcome}` };
  }
  const next = await updateEnrollmentWithRetry(deps, cadence.id, customer.id, (e) => (e.status === 'active' || e.status === 'paused' ? unenrollWrite(deps, e, 'manual', ctx) : undefined));
  return { index, type: action.type, status: 'done', detail: `${cadence.definition.name}: ${next ? next.status : 'not enrolled'}` };
};
