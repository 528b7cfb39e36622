import type { AppDeps } from '../../shared/adapters/deps.js';
import { outcomeTransactItem, recordedOutcomes, recordOutcome, type ActionOutcome } from '../../shared/db/action-runs.js';
import { getCadence } from '../../shared/db/cadences-repo.js';
import { unenrollWrite, updateEnrollmentWithRetry } from '../../shared/db/enrollments-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { alreadyCreated, createdOnce, onceTransactItem, type OnceScope } from '../../shared/db/once-markers.js';
import type { RecordItem } from '../../shared/db/records-repo.js';
import { ConditionFailed } from '../../shared/db/transact.js';
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
 * - Enrolling runs once per (instance, state) unless it says `runs: everyTime` (`once`: its marker is
 *   written with the enrollment).
 * - The step's done-mark (event id, action index) is written in the enrollment's own transaction: a
 *   redelivered event can never re-enroll a record that left the cadence since, or take out one that
 *   came back. A concurrent duplicate that loses the mark's condition returns the winner's outcome.
 */
export const runCadenceAction = async (
  deps: AppDeps,
  sourceEventId: string,
  action: CadenceAction,
  index: number,
  customer: RecordItem,
  ctx: ChangeContext,
  /** An enrollment that runs once: its marker lands with the enrollment. */
  once?: OnceScope,
): Promise<ActionOutcome> => {
  const cadence = await getCadence(deps, action.cadence);
  const outcome = (status: ActionOutcome['status'], detail: string): ActionOutcome => ({ index, type: action.type, status, detail });
  const settle = async (result: ActionOutcome): Promise<ActionOutcome> => {
    await recordOutcome(deps, sourceEventId, result);
    return result;
  };
  if (!cadence) return settle(outcome('unresolved', `No cadence ${action.cadence}`));
  const name = cadence.definition.name;
  if (cadence.definition.module !== customer.module) return settle(outcome('unresolved', `Cadence ${name} runs on ${cadence.definition.module}, not on ${customer.module}`));
  try {
    if (action.type === 'enrollInCadence') {
      if (!cadence.active) return settle(outcome('unresolved', `Cadence ${name} is not active`));
      const enrolled = outcome('done', `${name}: enrolled`);
      const marks = [outcomeTransactItem(deps, sourceEventId, enrolled), ...(once ? [onceTransactItem(deps, once, `enrollment in ${name}`)] : [])];
      const result = await enrollRecord(deps, cadence, customer, 'manual', ctx, marks);
      return result.outcome === 'enrolled' ? enrolled : settle(outcome('done', `${name}: ${result.outcome}`));
    }
    const unenrolled = outcome('done', `${name}: unenrolled`);
    let wrote = false;
    const next = await updateEnrollmentWithRetry(deps, cadence.id, customer.id, (e) => {
      // Decided afresh on each attempt: a retry after a lost race may find the enrollment ended meanwhile.
      wrote = e.status === 'active' || e.status === 'paused';
      if (!wrote) return undefined;
      const write = unenrollWrite(deps, e, 'manual', ctx);
      return { ...write, extra: [...write.extra, outcomeTransactItem(deps, sourceEventId, unenrolled)] };
    });
    return wrote ? unenrolled : settle(outcome('done', `${name}: ${next ? `not running (${next.status})` : 'not enrolled'}`));
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    const first = (await recordedOutcomes(deps, sourceEventId)).get(index);
    if (first) return first;
    // Another entry into the state enrolled first (its once marker's condition failed).
    const created = once && (await createdOnce(deps, once));
    if (!created || !once) throw error;
    return settle(outcome('done', alreadyCreated(created, once.scope)));
  }
};
