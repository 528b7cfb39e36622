import type { JourneyAction } from '../../shared/domain/journey/definition.js';

/**
 * Where cadence steps plug in. Cadences are built on their own branch; until their enroll/unenroll
 * functions are merged here, a journey that uses these actions is refused at save (400, see
 * `cadenceActionErrors`), so no saved journey can reach them. When cadences land: set this to true and
 * call their enroll/unenroll in `runCadenceAction` (functions/journeys/entry-actions.ts).
 */
export const CADENCES_AVAILABLE = false;

/** The 400 a journey with cadence actions gets while cadences are not available. */
export const cadenceActionErrors = (states: ReadonlyArray<{ onEnter: readonly JourneyAction[] }>) =>
  CADENCES_AVAILABLE
    ? []
    : states.flatMap((s, i) =>
        s.onEnter.flatMap((a, j) => (a.type === 'enrollInCadence' || a.type === 'unenrollFromCadence' ? [{ path: `states.${i}.onEnter.${j}`, message: 'Cadences are not available in this deployment yet: a journey cannot enroll or unenroll records' }] : [])),
      );
