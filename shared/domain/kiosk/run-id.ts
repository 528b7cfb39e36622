import { MAX_HINTED_ID_LENGTH, composeHintedId, idHints, uniquePart } from '../hinted-id.js';

/**
 * A kiosk run's id names the kiosk version it runs: `<ulid>.<kiosk id>.<version>` (shared/domain/hinted-id.ts).
 * A submit can then fetch what that version's next actions need (modules, records the answers point
 * at) in the same round trip as the run itself. The id is only a hint: the run item says which version
 * it runs, and a hint that disagrees with it (a forged or an older plain id) is ignored.
 */
/** The route's bound on a run id (RunParams). */
export const MAX_RUN_ID_LENGTH = MAX_HINTED_ID_LENGTH;

export interface RunIdHint {
  kioskId: string;
  version: number;
}

/** The id of a new run; a plain id when the kiosk's id would make it too long (or ambiguous). */
export const composeRunId = (unique: string, kioskId: string, version: number): string =>
  composeHintedId(unique, [kioskId, String(version)], Number.isSafeInteger(version) && version >= 1);

/** The kiosk version a run id names, if it names one. */
export const runIdHint = (runId: string): RunIdHint | undefined => {
  const [kioskId, version] = idHints(runId, 2) ?? [];
  if (!kioskId || !version || !/^[1-9][0-9]{0,9}$/.test(version)) return undefined;
  return { kioskId, version: Number(version) };
};

/** The unique part (a time-ordered id), e.g. to derive ids of what the run creates. */
export const runIdUnique = uniquePart;
